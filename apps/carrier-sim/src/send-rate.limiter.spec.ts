import { DEFAULT_SCENARIO, type Scenario } from './scenario';
import { SendRateLimiter } from './send-rate.limiter';

type Caps = Pick<Scenario['messages'], 'maxPerSecondPerSender' | 'maxPerSecondPerAccount' | 'senderCaps'>;

const A = '+15005550006';
const B = '+15005550007';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';

function limiterWith(caps: Partial<Caps>): { limiter: SendRateLimiter; set: (next: Partial<Caps>) => void } {
  let current: Caps = { ...DEFAULT_SCENARIO.messages, ...caps };
  return { limiter: new SendRateLimiter(() => current), set: (next) => (current = { ...current, ...next }) };
}

function admitted(limiter: SendRateLimiter, sender: string, count: number, now: number): number {
  let passed = 0;
  for (let attempt = 0; attempt < count; attempt += 1) if (limiter.tryTake(sender, now) === null) passed += 1;
  return passed;
}

describe('SendRateLimiter', () => {
  it('should let everything through without caps', () => {
    const { limiter } = limiterWith({});
    expect(admitted(limiter, A, 10_000, 0)).toBe(10_000);
    expect(limiter.capOf(A)).toBeNull();
  });

  it('should cap each sender on its own', () => {
    const { limiter } = limiterWith({ maxPerSecondPerSender: 3 });
    expect(admitted(limiter, A, 5, 0)).toBe(3);
    expect(limiter.tryTake(A, 0)).toBe('sender');
    expect(admitted(limiter, B, 5, 0)).toBe(3);
    expect(admitted(limiter, A, 5, 1_000)).toBe(3);
  });

  it('should give senderCaps precedence, null meaning unlimited for that sender', () => {
    const { limiter } = limiterWith({ maxPerSecondPerSender: 1, senderCaps: { [SERVICE]: 5, [B]: null } });
    expect(limiter.capOf(SERVICE)).toBe(5);
    expect(admitted(limiter, SERVICE, 10, 0)).toBe(5);
    expect(admitted(limiter, B, 10, 0)).toBe(10);
    expect(admitted(limiter, A, 10, 0)).toBe(1);
  });

  it('should cap the account across senders without spending a sender token on an account refusal', () => {
    const { limiter } = limiterWith({ maxPerSecondPerSender: 2, maxPerSecondPerAccount: 3 });
    expect(admitted(limiter, A, 2, 0)).toBe(2);
    expect(limiter.tryTake(B, 0)).toBeNull();
    expect(limiter.tryTake(B, 0)).toBe('account');
    // After 1/3 s the account has one token again and B still has its second.
    expect(limiter.tryTake(B, 334)).toBeNull();
  });

  it('should start a full bucket when a sender cap changes at run time', () => {
    const { limiter, set } = limiterWith({ maxPerSecondPerSender: 1 });
    expect(admitted(limiter, A, 3, 0)).toBe(1);
    set({ maxPerSecondPerSender: 4 });
    expect(admitted(limiter, A, 10, 10)).toBe(4);
  });
});
