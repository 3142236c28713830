import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('should hold one second of tokens and refill them continuously', () => {
    const bucket = TokenBucket.perSecond(10, 0);
    for (let sent = 0; sent < 10; sent += 1) {
      expect(bucket.hasToken(0)).toBe(true);
      bucket.take(0);
    }
    expect(bucket.hasToken(0)).toBe(false);
    expect(bucket.hasToken(99)).toBe(false);
    expect(bucket.hasToken(100)).toBe(true);
    bucket.take(100);
    expect(bucket.hasToken(150)).toBe(false);
  });

  it('should never hold more than its capacity however long it waits', () => {
    const bucket = TokenBucket.perSecond(2, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.hasToken(60_000)).toBe(true);
    bucket.take(60_000);
    bucket.take(60_000);
    expect(bucket.hasToken(60_000)).toBe(false);
  });

  it('should keep at least one token for a cap below one per second', () => {
    const bucket = TokenBucket.perSecond(0.5, 0);
    expect(bucket.capacity).toBe(1);
    bucket.take(0);
    expect(bucket.hasToken(1_999)).toBe(false);
    expect(bucket.hasToken(2_000)).toBe(true);
  });
});
