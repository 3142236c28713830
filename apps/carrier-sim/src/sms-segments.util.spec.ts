import { countSegments } from './sms-segments.util';

describe('countSegments', () => {
  it('should count GSM-7 bodies in 160 then 153 septets, extension characters twice', () => {
    expect(countSegments('')).toBe(1);
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
    expect(countSegments('€'.repeat(80))).toBe(1);
    expect(countSegments('€'.repeat(81))).toBe(2);
  });

  it('should count any other body in 70 then 67 UTF-16 units', () => {
    expect(countSegments('ł'.repeat(70))).toBe(1);
    expect(countSegments('ł'.repeat(71))).toBe(2);
    expect(countSegments('🗳'.repeat(35))).toBe(1);
    expect(countSegments('🗳'.repeat(36))).toBe(2);
  });
});
