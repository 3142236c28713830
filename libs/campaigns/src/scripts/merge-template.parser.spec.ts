import { MAX_MERGE_FALLBACK_LENGTH, parseMergeTemplate } from './merge-template.parser';

describe('parseMergeTemplate', () => {
  it('should split text into literal parts and merge fields, with and without a fallback', () => {
    expect(parseMergeTemplate('Hi {voter.first_name|there}, this is {volunteer.first_name}.')).toStrictEqual({
      parts: [
        { kind: 'text', text: 'Hi ' },
        { kind: 'field', field: 'voter.first_name', fallback: 'there' },
        { kind: 'text', text: ', this is ' },
        { kind: 'field', field: 'volunteer.first_name', fallback: null },
        { kind: 'text', text: '.' },
      ],
      problems: [],
    });
  });

  it('should accept every merge field and spaces around the name and fallback', () => {
    const { parts, problems } = parseMergeTemplate(
      '{voter.first_name}{voter.last_name}{voter.city}{voter.age}{volunteer.first_name}{ organization.name | our group }',
    );
    expect(problems).toStrictEqual([]);
    expect(parts.at(-1)).toStrictEqual({ kind: 'field', field: 'organization.name', fallback: 'our group' });
    expect(parts).toHaveLength(6);
  });

  it('should read an empty fallback as none', () => {
    expect(parseMergeTemplate('{voter.city|}').parts).toStrictEqual([{ kind: 'field', field: 'voter.city', fallback: null }]);
  });

  it('should read text without braces as one literal part', () => {
    expect(parseMergeTemplate('Thanks for your time.\nGoodbye!')).toStrictEqual({
      parts: [{ kind: 'text', text: 'Thanks for your time.\nGoodbye!' }],
      problems: [],
    });
  });

  it('should refuse an unknown field, naming it and listing the known ones', () => {
    const { problems, parts } = parseMergeTemplate('Hi {voter.nickname}!');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('{voter.nickname}');
    expect(problems[0]).toContain('voter.first_name, voter.last_name, voter.city, voter.age, volunteer.first_name, organization.name');
    // The broken field stays as literal text, so rendering never drops words.
    expect(parts).toStrictEqual([{ kind: 'text', text: 'Hi {voter.nickname}!' }]);
  });

  it('should refuse a field name in the wrong case and empty braces', () => {
    expect(parseMergeTemplate('{Voter.First_Name}').problems[0]).toContain('{Voter.First_Name}');
    expect(parseMergeTemplate('{}').problems[0]).toContain('{}, which is not a merge field');
  });

  it('should refuse a lone opening brace, including one closed only on a later line', () => {
    expect(parseMergeTemplate('Hi {voter.first_name, welcome').problems).toStrictEqual([
      'has a { that is not closed: "{voter.first_name, welcome"; braces are only for merge fields like {voter.first_name}',
    ]);
    expect(parseMergeTemplate('Hi {voter.first_name, how are you doing today?').problems[0]).toContain('"{voter.first_name, how are you…"');
    expect(parseMergeTemplate('Hi {voter.first_name\nthere}').problems).toHaveLength(2);
    expect(parseMergeTemplate('a { b').problems[0]).toContain('not closed');
  });

  it('should refuse a lone closing brace', () => {
    expect(parseMergeTemplate('Thanks :}').problems).toStrictEqual([
      'has a } that closes no merge field; braces are only for merge fields like {voter.first_name}',
    ]);
  });

  it('should refuse double braces rather than read them as text', () => {
    const { problems, parts } = parseMergeTemplate('Hi {{voter.first_name}}!');
    expect(problems).toStrictEqual(['writes {{voter.first_name}} with double braces; merge fields take single braces, like {voter.first_name}']);
    expect(parts).toStrictEqual([{ kind: 'text', text: 'Hi {{voter.first_name}}!' }]);
  });

  it('should report the same problem once', () => {
    expect(parseMergeTemplate('} and } and }').problems).toHaveLength(1);
  });

  it(`should refuse a fallback over ${MAX_MERGE_FALLBACK_LENGTH} characters`, () => {
    expect(parseMergeTemplate(`{voter.city|${'a'.repeat(MAX_MERGE_FALLBACK_LENGTH)}}`).problems).toStrictEqual([]);
    expect(parseMergeTemplate(`{voter.city|${'a'.repeat(MAX_MERGE_FALLBACK_LENGTH + 1)}}`).problems[0]).toContain('fallback of 101 characters');
  });
});
