import { closedReasonOf, phoneConsequenceOf, phoneStatusOf } from './carrier-error.policy';

describe('carrier error policy', () => {
  it('should opt out a phone the carrier says unsubscribed, and mark invalid and non-mobile numbers', () => {
    expect(phoneConsequenceOf('21610')).toBe('opted-out');
    expect(phoneConsequenceOf('21211')).toBe('invalid-number');
    expect(phoneConsequenceOf('30005')).toBe('invalid-number');
    expect(phoneConsequenceOf('21614')).toBe('not-mobile');
    expect(phoneConsequenceOf('30006')).toBe('not-mobile');
  });

  it('should leave the phone alone for errors that may pass or concern one text', () => {
    // 30003 unreachable handset (switched off), 30007 carrier filtering, 30008 unknown, 20429 rate limit.
    for (const code of ['30003', '30007', '30008', '20429', '30036', null, undefined]) expect(phoneConsequenceOf(code)).toBeNull();
  });

  it('should name the conversation’s closing reason and the phone status for each consequence', () => {
    expect(closedReasonOf('opted-out')).toBe('opted_out');
    expect(closedReasonOf('invalid-number')).toBe('invalid_number');
    expect(closedReasonOf('not-mobile')).toBe('not_mobile');
    expect(phoneStatusOf('invalid-number')).toBe('invalid_number');
    expect(phoneStatusOf('not-mobile')).toBe('not_mobile');
  });
});
