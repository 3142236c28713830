import { LINE_TYPES, lineTypeFromLookup, mayDialAutomatically } from './line-type.util';

describe('lineTypeFromLookup', () => {
  it('should keep landline and mobile as they are', () => {
    expect(lineTypeFromLookup('landline')).toBe('landline');
    expect(lineTypeFromLookup('mobile')).toBe('mobile');
  });

  it('should map both kinds of VoIP to voip and pagers to mobile', () => {
    expect(lineTypeFromLookup('fixedVoip')).toBe('voip');
    expect(lineTypeFromLookup('nonFixedVoip')).toBe('voip');
    expect(lineTypeFromLookup('pager')).toBe('mobile');
  });

  it('should map business, forwarding and unheard-of types, and no answer, to unknown', () => {
    for (const type of ['personal', 'tollFree', 'premium', 'sharedCost', 'uan', 'voicemail', 'unknown', 'satellite', 'Landline', 'toString', '']) {
      expect(lineTypeFromLookup(type)).toBe('unknown');
    }
    expect(lineTypeFromLookup(null)).toBe('unknown');
    expect(lineTypeFromLookup(undefined)).toBe('unknown');
  });

  it('should let only landlines be dialed automatically, whatever Twilio said', () => {
    const twilioTypes = [
      'landline',
      'mobile',
      'fixedVoip',
      'nonFixedVoip',
      'personal',
      'tollFree',
      'premium',
      'sharedCost',
      'uan',
      'voicemail',
      'pager',
      'unknown',
    ];
    const automatic = twilioTypes.filter((type) => mayDialAutomatically(lineTypeFromLookup(type)));
    expect(automatic).toEqual(['landline']);
    expect(LINE_TYPES.filter((type) => mayDialAutomatically(type))).toEqual(['landline']);
    expect(mayDialAutomatically(null)).toBe(false);
  });
});
