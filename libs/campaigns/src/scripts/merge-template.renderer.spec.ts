import { mergeFieldValuesOf, renderMergeTemplate } from './merge-template.renderer';
import type { ScriptMergeContext } from './script-merge-context';

const CONTEXT: ScriptMergeContext = {
  voter: { firstName: 'Maria', lastName: 'Lopez', city: 'Durham', birthYear: 1980 },
  volunteer: { firstName: 'Sam' },
  organization: { name: 'Schools First' },
  segmentKey: null,
  now: new Date('2026-03-01T12:00:00Z'),
};

function render(template: string, context: ScriptMergeContext = CONTEXT): string {
  return renderMergeTemplate(template, mergeFieldValuesOf(context));
}

function withVoter(voter: ScriptMergeContext['voter']): ScriptMergeContext {
  return { ...CONTEXT, voter };
}

describe('renderMergeTemplate', () => {
  it('should fill in every merge field', () => {
    expect(render('{voter.first_name} {voter.last_name} of {voter.city}, {voter.age}; {volunteer.first_name} from {organization.name}')).toBe(
      'Maria Lopez of Durham, 46; Sam from Schools First',
    );
  });

  it('should prefer the value to the fallback', () => {
    expect(render('Hi {voter.first_name|there}!')).toBe('Hi Maria!');
  });

  it('should use the fallback when the value is missing, null, empty or only spaces', () => {
    expect(render('Hi {voter.first_name|there}!', withVoter({}))).toBe('Hi there!');
    expect(render('Hi {voter.first_name|there}!', withVoter({ firstName: null }))).toBe('Hi there!');
    expect(render('Hi {voter.first_name|there}!', withVoter({ firstName: '' }))).toBe('Hi there!');
    expect(render('Hi {voter.first_name|there}!', withVoter({ firstName: '  \t ' }))).toBe('Hi there!');
  });

  it('should show nothing for an empty value without a fallback, taking the space before it along', () => {
    const noName = withVoter({ firstName: null });
    expect(render('Hi {voter.first_name}, this is Sam.', noName)).toBe('Hi, this is Sam.');
    expect(render('Is this {voter.first_name}?', noName)).toBe('Is this?');
    expect(render('Thank you {voter.first_name}', noName)).toBe('Thank you');
    expect(render('Hi {voter.first_name} and welcome', noName)).toBe('Hi and welcome');
  });

  it('should keep the space when an empty field is followed straight by another field', () => {
    expect(render('Hi {voter.first_name}{voter.last_name}', withVoter({ lastName: 'Lopez' }))).toBe('Hi Lopez');
  });

  it('should put a voter-file value on one line with single spaces', () => {
    expect(render('Hi {voter.first_name}!', withVoter({ firstName: ' Mary\n  Ann\t' }))).toBe('Hi Mary Ann!');
  });

  it('should put a voter-file value in capitals or lower case into name case, and keep one a person cased', () => {
    const shouted = withVoter({ firstName: 'MARIA JOSE', lastName: "O'BRIEN-SMITH", city: 'san luis obispo' });
    expect(render('{voter.first_name} {voter.last_name} of {voter.city}', shouted)).toBe("Maria Jose O'Brien-Smith of San Luis Obispo");
    expect(render('{voter.last_name}', withVoter({ lastName: 'McDonald' }))).toBe('McDonald');
    expect(render('{organization.name}', { ...CONTEXT, organization: { name: 'ACLU' } })).toBe('ACLU');
  });

  it('should leave markup as it is, since the result is plain text', () => {
    expect(render('Hi {voter.first_name}', withVoter({ firstName: '<b>Al</b> & co' }))).toBe('Hi <b>Al</b> & co');
  });

  it('should work the age out from the birth year, or take a given age', () => {
    expect(render('{voter.age}', withVoter({ birthYear: 2000 }))).toBe('26');
    expect(render('{voter.age}', withVoter({ age: 33.9, birthYear: 2000 }))).toBe('33');
    expect(render('{voter.age|unknown}', withVoter({ birthYear: null }))).toBe('unknown');
    expect(render('{voter.age|unknown}', withVoter({ birthYear: 1700 }))).toBe('unknown');
  });
});
