import { normalizePhone, normalizePhoneWithoutCache } from './phone-number.util';

describe('normalizePhone', () => {
  it.each([
    ['9195550123', '+19195550123'],
    ['(919) 555-0123', '+19195550123'],
    ['919.555.0123', '+19195550123'],
    ['1-919-555-0123', '+19195550123'],
    ['+1 919 555 0123', '+19195550123'],
    ['  919 555 0123  ', '+19195550123'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('should normalize %p to %p', (raw, e164) => {
    expect(normalizePhone(raw)).toMatchObject({ ok: true, e164 });
  });

  it.each([
    ['', 'empty'],
    ['0000000', 'placeholder number (all zeros)'],
    ['000-000-0000', 'placeholder number (all zeros)'],
    ['5550123', 'not a valid US number'],
    ['123-456-7890', 'not a valid US number'],
    ['call me', 'not a phone number: 0 digits'],
  ])('should reject %p naming why', (raw, reason) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, reason });
  });

  it('should report the line type only where the numbering plan tells it', () => {
    expect(normalizePhone('+44 7911 123456')).toMatchObject({ ok: true, lineType: 'mobile' });
    expect(normalizePhone('+44 20 7946 0958')).toMatchObject({ ok: true, lineType: 'landline' });
    expect(normalizePhone('9195550123')).toMatchObject({ ok: true, lineType: 'unknown' });
  });
});

describe('normalizePhone prefix cache', () => {
  it('should agree with full-metadata parsing on random numbers in every spelling', () => {
    let state = 7;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state;
    };
    const spellings = (d: string): string[] => [
      d,
      `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
      `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
      `+1 ${d}`,
    ];
    let valid = 0;
    const areaCodes = ['919', '704', '213', '415', '614', '216', '305', '212', '520', '808', '907', '939'];
    for (let index = 0; index < 10_000; index += 1) {
      const random = String(next() % 10 ** 10).padStart(10, '0');
      // Half with real area codes so the valid branch is exercised as much as the invalid one.
      const digits = index % 2 === 0 ? `${areaCodes[next() % areaCodes.length]}${random.slice(3)}` : random;
      for (const raw of spellings(digits)) {
        const fast = normalizePhone(raw);
        expect(fast).toEqual(normalizePhoneWithoutCache(raw));
        if (fast.ok) valid += 1;
      }
    }
    expect(valid).toBeGreaterThan(8_000);
  });

  it('should leave international numbers written with a plus to the full parser', () => {
    expect(normalizePhone('+4420794609')).toEqual(normalizePhoneWithoutCache('+4420794609'));
    expect(normalizePhone('+44 20 7946 0958')).toMatchObject({ ok: true, e164: '+442079460958' });
  });
});
