import { normalizePhone } from './phone-number.util';

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
