import { DomainErrorCode, DomainException } from '@app/common';
import { parseTextingSettings, TEXTING_SETTING_LIMITS, type TextingSettingsInput, textingReadinessProblems } from './texting-settings';

const SID = `MG${'0123456789abcdef'.repeat(2)}`;
const TEMPLATE = 'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}. Can we count on your vote?';

/** The refusal `parseTextingSettings` throws for `input`; fails the test when it returns or throws something else. */
function refusalOf(input: TextingSettingsInput, segmentKeys?: readonly string[]): DomainException {
  let thrown: unknown;
  try {
    parseTextingSettings(input, { segmentKeys });
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DomainException)) throw new Error(`expected a DomainException, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  expect(thrown.code).toBe(DomainErrorCode.ValidationFailed);
  return thrown;
}

/** The paths a refusal names, in the order found. */
function fieldsOf(input: TextingSettingsInput, segmentKeys?: readonly string[]): unknown {
  return refusalOf(input, segmentKeys).details.fields;
}

describe('parseTextingSettings', () => {
  it('should accept every setting well formed, trimming the texts', () => {
    const settings = parseTextingSettings({
      sendingNumbers: ['+14155550123', '+15595550100'],
      messagingServiceSid: SID,
      initialMessage: { template: `  ${TEMPLATE}\n`, variants: [{ segmentKey: 'fiscal_base', template: ' Hi {voter.first_name}, taxes! ' }] },
      cannedResponses: [{ key: 'wrong_number', title: ' Wrong number ', body: 'Sorry to bother you, {voter.first_name|friend}!' }],
      suppressTextedWithinDays: 30,
    });

    expect(settings).toStrictEqual({
      sendingNumbers: ['+14155550123', '+15595550100'],
      messagingServiceSid: SID,
      initialMessage: { template: TEMPLATE, variants: [{ segmentKey: 'fiscal_base', template: 'Hi {voter.first_name}, taxes!' }] },
      cannedResponses: [{ key: 'wrong_number', title: 'Wrong number', body: 'Sorry to bother you, {voter.first_name|friend}!' }],
      suppressTextedWithinDays: 30,
    });
  });

  it('should leave absent settings absent, so an update keeps them', () => {
    expect(parseTextingSettings({})).toStrictEqual({
      sendingNumbers: undefined,
      messagingServiceSid: undefined,
      initialMessage: undefined,
      cannedResponses: undefined,
      suppressTextedWithinDays: undefined,
    });
  });

  it('should clear the messaging service, the initial message and the suppression with null, and the lists with []', () => {
    expect(
      parseTextingSettings({ messagingServiceSid: null, initialMessage: null, suppressTextedWithinDays: null, sendingNumbers: [], cannedResponses: [] }),
    ).toStrictEqual({ messagingServiceSid: null, initialMessage: null, suppressTextedWithinDays: null, sendingNumbers: [], cannedResponses: [] });
  });

  describe('sendingNumbers', () => {
    it('should refuse a number not in E.164, naming its index', () => {
      const refusal = refusalOf({ sendingNumbers: ['+14155550123', '415-555-0124', '+04155550125', 14155550126] });

      expect(refusal.details.fields).toStrictEqual(['sendingNumbers[1]', 'sendingNumbers[2]', 'sendingNumbers[3]']);
      expect(refusal.message).toContain('sendingNumbers[1]: expected a phone number in E.164 such as +14155550123, got "415-555-0124"');
    });

    it('should refuse a number listed twice, naming both places', () => {
      const refusal = refusalOf({ sendingNumbers: ['+14155550123', '+15595550100', '+14155550123'] });

      expect(refusal.message).toBe('sendingNumbers[2]: +14155550123 is already sendingNumbers[0]; list each number once');
      expect(refusal.details).toMatchObject({ field: 'sendingNumbers[2]' });
    });

    it('should take up to 400 numbers and refuse more', () => {
      const numbers = (count: number) => Array.from({ length: count }, (_, index) => `+1415555${String(index).padStart(4, '0')}`);

      expect(parseTextingSettings({ sendingNumbers: numbers(TEXTING_SETTING_LIMITS.sendingNumbers.max) }).sendingNumbers).toHaveLength(400);
      expect(refusalOf({ sendingNumbers: numbers(401) }).message).toMatch(
        /^sendingNumbers: at most 400 phone numbers in E\.164 \(send \[\] for none\), got 401/,
      );
    });

    it('should refuse null and anything but a list', () => {
      expect(fieldsOf({ sendingNumbers: null })).toStrictEqual(['sendingNumbers']);
      expect(fieldsOf({ sendingNumbers: '+14155550123' })).toStrictEqual(['sendingNumbers']);
    });
  });

  describe('messagingServiceSid', () => {
    it('should take MG and 32 hexadecimal digits, in either case', () => {
      expect(parseTextingSettings({ messagingServiceSid: SID }).messagingServiceSid).toBe(SID);
      expect(parseTextingSettings({ messagingServiceSid: SID.toUpperCase() }).messagingServiceSid).toBe(SID.toUpperCase());
    });

    it('should refuse anything else, naming the field', () => {
      for (const messagingServiceSid of [
        `MG${'0'.repeat(31)}`,
        `MG${'0'.repeat(33)}`,
        `PN${'0'.repeat(32)}`,
        `mg${'0'.repeat(32)}`,
        `MG${'g'.repeat(32)}`,
        '',
        42,
      ]) {
        const refusal = refusalOf({ messagingServiceSid });
        expect(refusal.message).toMatch(/^messagingServiceSid: expected a Messaging Service SID \(MG and 32 hexadecimal digits\)/);
      }
    });
  });

  describe('initialMessage', () => {
    it('should refuse a template that is empty, blank or longer than a text may be', () => {
      for (const template of ['', '   ', 'x'.repeat(1_601), undefined, 42]) {
        expect(fieldsOf({ initialMessage: { template } })).toStrictEqual(['initialMessage.template']);
      }
      expect(parseTextingSettings({ initialMessage: { template: 'x'.repeat(1_600) } }).initialMessage?.template).toHaveLength(1_600);
      expect(refusalOf({ initialMessage: { template: 'x'.repeat(1_601) } }).message).toBe('initialMessage.template: expected 1 to 1600 characters, got 1601');
    });

    it('should refuse an unknown or broken merge field, with the merge-template parser’s words', () => {
      const unknown = refusalOf({ initialMessage: { template: 'Hi {voter.nickname}!' } });
      const unclosed = refusalOf({ initialMessage: { template: 'Hi {voter.first_name, vote!' } });

      expect(unknown.message).toMatch(
        /^initialMessage\.template: uses \{voter\.nickname\}, which is not a merge field; the merge fields are voter\.first_name/,
      );
      expect(unclosed.message).toMatch(/^initialMessage\.template: has a \{ that is not closed/);
    });

    it('should refuse a variant for a segment that already has one, naming the variant', () => {
      const refusal = refusalOf({
        initialMessage: {
          template: TEMPLATE,
          variants: [
            { segmentKey: 'fiscal_base', template: 'One' },
            { segmentKey: 'fiscal_base', template: 'Two' },
          ],
        },
      });

      expect(refusal.message).toBe('initialMessage.variants[1].segmentKey: "fiscal_base" already has a variant in initialMessage.variants[0]');
    });

    it('should refuse a segment key that is not lower snake case', () => {
      for (const segmentKey of ['Fiscal Base', '1st', '', 'x'.repeat(41), null]) {
        expect(fieldsOf({ initialMessage: { template: TEMPLATE, variants: [{ segmentKey, template: 'Hi' }] } })).toStrictEqual([
          'initialMessage.variants[0].segmentKey',
        ]);
      }
    });

    it('should refuse a segment the taxonomy does not have, when the taxonomy is given', () => {
      const message = { template: TEMPLATE, variants: [{ segmentKey: 'surfers', template: 'Surf’s up' }] };

      expect(refusalOf({ initialMessage: message }, ['fiscal_base', 'balanced_suburban']).message).toBe(
        `initialMessage.variants[0].segmentKey: expected one of the taxonomy's segments (fiscal_base, balanced_suburban), got "surfers"`,
      );
      expect(parseTextingSettings({ initialMessage: message }).initialMessage?.variants).toHaveLength(1);
    });

    it('should check each variant’s template as a text body, by its path', () => {
      const fields = fieldsOf({
        initialMessage: {
          template: TEMPLATE,
          variants: [
            { segmentKey: 'fiscal_base', template: 'Fine, {voter.first_name}' },
            { segmentKey: 'balanced_suburban', template: 'Hi {{voter.first_name}}' },
            { segmentKey: 'aspiring', template: 'y'.repeat(1_601) },
          ],
        },
      });

      expect(fields).toStrictEqual(['initialMessage.variants[1].template', 'initialMessage.variants[2].template']);
    });

    it('should refuse unknown properties and a message that is not an object', () => {
      expect(fieldsOf({ initialMessage: { template: TEMPLATE, body: 'typo' } })).toStrictEqual(['initialMessage.body']);
      expect(fieldsOf({ initialMessage: { template: TEMPLATE, variants: [{ segmentKey: 'fiscal_base', text: 'Hi' }] } })).toStrictEqual([
        'initialMessage.variants[0].text',
        'initialMessage.variants[0].template',
      ]);
      expect(fieldsOf({ initialMessage: TEMPLATE })).toStrictEqual(['initialMessage']);
      expect(fieldsOf({ initialMessage: { template: TEMPLATE, variants: 'none' } })).toStrictEqual(['initialMessage.variants']);
    });
  });

  describe('cannedResponses', () => {
    const response = (fields: Record<string, unknown>) => ({ key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name}!', ...fields });

    it('should refuse a key that is not like a survey question key, or taken', () => {
      expect(fieldsOf({ cannedResponses: [response({ key: 'Thanks!' })] })).toStrictEqual(['cannedResponses[0].key']);
      const taken = refusalOf({ cannedResponses: [response({}), response({ key: 'other' }), response({})] });
      expect(taken.message).toBe('cannedResponses[2].key: "thanks" is already the key of cannedResponses[0]');
    });

    it('should take a title of 1 to 80 characters', () => {
      expect(parseTextingSettings({ cannedResponses: [response({ title: 'x'.repeat(80) })] }).cannedResponses?.[0].title).toHaveLength(80);
      for (const title of ['', ' ', 'x'.repeat(81), undefined])
        expect(fieldsOf({ cannedResponses: [response({ title })] })).toStrictEqual(['cannedResponses[0].title']);
    });

    it('should take a body of 1 to 1,600 characters whose merge fields exist', () => {
      expect(parseTextingSettings({ cannedResponses: [response({ body: 'x'.repeat(1_600) })] }).cannedResponses?.[0].body).toHaveLength(1_600);
      for (const body of ['', 'x'.repeat(1_601), 'Thanks {texter.name}', 'Thanks }']) {
        expect(fieldsOf({ cannedResponses: [response({ body })] })).toStrictEqual(['cannedResponses[0].body']);
      }
    });

    it('should take up to 50 responses and refuse more, null, or unknown properties', () => {
      const many = (count: number) => Array.from({ length: count }, (_, index) => response({ key: `reply_${index}` }));

      expect(parseTextingSettings({ cannedResponses: many(50) }).cannedResponses).toHaveLength(50);
      expect(refusalOf({ cannedResponses: many(51) }).message).toMatch(/^cannedResponses: at most 50 canned responses/);
      expect(fieldsOf({ cannedResponses: null })).toStrictEqual(['cannedResponses']);
      expect(fieldsOf({ cannedResponses: [response({ text: 'typo' })] })).toStrictEqual(['cannedResponses[0].text']);
      expect(fieldsOf({ cannedResponses: ['Thanks'] })).toStrictEqual(['cannedResponses[0]']);
    });
  });

  describe('suppressTextedWithinDays', () => {
    it('should take a whole number of days from 1 to 365', () => {
      expect(parseTextingSettings({ suppressTextedWithinDays: 1 }).suppressTextedWithinDays).toBe(1);
      expect(parseTextingSettings({ suppressTextedWithinDays: 365 }).suppressTextedWithinDays).toBe(365);
    });

    it('should refuse anything else, naming the field', () => {
      for (const suppressTextedWithinDays of [0, 366, 1.5, -1, '7', Number.NaN]) {
        expect(refusalOf({ suppressTextedWithinDays }).message).toMatch(/^suppressTextedWithinDays: expected a whole number of days from 1 to 365/);
      }
    });
  });

  it('should name every problem at once, the first as the field', () => {
    const refusal = refusalOf({
      sendingNumbers: ['bad'],
      messagingServiceSid: 'MG1',
      initialMessage: { template: 'Hi {voter.nickname}', variants: [{ segmentKey: 'a', template: '' }] },
      cannedResponses: [{ key: 'k', title: '', body: 'fine' }],
      suppressTextedWithinDays: 0,
    });

    expect(refusal.details).toStrictEqual({
      field: 'sendingNumbers[0]',
      fields: [
        'sendingNumbers[0]',
        'messagingServiceSid',
        'initialMessage.template',
        'initialMessage.variants[0].template',
        'cannedResponses[0].title',
        'suppressTextedWithinDays',
      ],
    });
    expect(refusal.message.split('; ').filter((part) => /^[a-zA-Z[\].0-9]+: /.test(part))).toHaveLength(6);
  });

  it('should list at most ten problems in the message, counting the rest, and every path in the details', () => {
    const refusal = refusalOf({ sendingNumbers: Array.from({ length: 12 }, (_, index) => `bad-${index}`) });

    expect(refusal.message).toMatch(/; and 2 more$/);
    expect(refusal.details.fields).toHaveLength(12);
  });
});

describe('textingReadinessProblems', () => {
  const ready = { sendingNumbers: ['+14155550123'], messagingServiceSid: null, initialMessage: { template: TEMPLATE, variants: [] } };

  it('should find nothing missing with an initial message and a number or a messaging service', () => {
    expect(textingReadinessProblems(ready)).toStrictEqual([]);
    expect(textingReadinessProblems({ ...ready, sendingNumbers: [], messagingServiceSid: SID })).toStrictEqual([]);
  });

  it('should name the initial message and the sender when they are missing', () => {
    expect(textingReadinessProblems({ sendingNumbers: [], messagingServiceSid: null, initialMessage: null }).map((missing) => missing.field)).toStrictEqual([
      'initialMessage',
      'sendingNumbers',
    ]);
  });
});
