import { DEFAULT_RETRY_POLICY, Disposition, type RetryPolicy } from '@app/campaigns';
import { contactAfterDisposition } from './contact-after-disposition.policy';

const NOW = new Date('2026-10-20T18:00:00Z');
const CALL_BACK_AT = new Date('2026-10-22T23:30:00Z');
const minutesAfterNow = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

/** Distinct delays and limits per disposition, so that using another disposition's rule shows. */
const POLICY: RetryPolicy = {
  not_home: { delayMinutes: 11, maxAttempts: 2 },
  voicemail: { delayMinutes: 22, maxAttempts: 3 },
  busy: { delayMinutes: 33, maxAttempts: 4 },
  call_back: { delayMinutes: 44, maxAttempts: 5 },
  language_needed: { delayMinutes: 55, maxAttempts: 6 },
};

/** Settled by the call (this campaign) or by the facts (any campaign): never called again here. */
const CLOSING = [Disposition.Contacted, Disposition.Refused, Disposition.WrongNumber, Disposition.Moved, Disposition.Deceased, Disposition.DoNotCall];
const RETRIED = [Disposition.NotHome, Disposition.Voicemail, Disposition.Busy, Disposition.CallBack, Disposition.LanguageNeeded] as const;

describe('contactAfterDisposition', () => {
  it('should know every disposition as either closing or retried', () => {
    expect([...CLOSING, ...RETRIED].sort()).toStrictEqual(Object.values(Disposition).sort());
  });

  describe.each(CLOSING)('after %s', (disposition) => {
    it('should close the voter with the disposition as the reason on the first attempt', () => {
      expect(contactAfterDisposition(disposition, 1, POLICY, NOW, null)).toStrictEqual({ status: 'done', reason: disposition });
    });

    it('should close the voter with the disposition, not max_attempts, when the attempts are used up as well', () => {
      expect(contactAfterDisposition(disposition, 99, POLICY, NOW, null)).toStrictEqual({ status: 'done', reason: disposition });
    });

    it('should close the voter even when handed a call-back time', () => {
      expect(contactAfterDisposition(disposition, 1, POLICY, NOW, CALL_BACK_AT)).toStrictEqual({ status: 'done', reason: disposition });
    });

    it('should close the voter even when a stored policy carries a stray rule for the disposition', () => {
      const strayPolicy = { ...POLICY, [disposition]: { delayMinutes: 5, maxAttempts: 9 } } as RetryPolicy;

      expect(contactAfterDisposition(disposition, 1, strayPolicy, NOW, null)).toStrictEqual({ status: 'done', reason: disposition });
    });
  });

  describe.each(RETRIED)('after %s', (disposition) => {
    const rule = POLICY[disposition];

    it('should reopen the voter after the delay the policy sets for that disposition', () => {
      expect(contactAfterDisposition(disposition, 1, POLICY, NOW, null)).toStrictEqual({ status: 'open', nextAttemptAt: minutesAfterNow(rule.delayMinutes) });
    });

    it('should reopen the voter on the attempt before the last one allowed', () => {
      expect(contactAfterDisposition(disposition, rule.maxAttempts - 1, POLICY, NOW, null)).toMatchObject({ status: 'open' });
    });

    it('should close the voter with max_attempts once the attempts allowed are used', () => {
      expect(contactAfterDisposition(disposition, rule.maxAttempts, POLICY, NOW, null)).toStrictEqual({ status: 'done', reason: 'max_attempts' });
      expect(contactAfterDisposition(disposition, rule.maxAttempts + 1, POLICY, NOW, null)).toStrictEqual({ status: 'done', reason: 'max_attempts' });
    });
  });

  describe('when the voter asked to be called back at a time', () => {
    it('should reopen the voter at the time they asked for, not after the policy delay', () => {
      expect(contactAfterDisposition(Disposition.CallBack, 1, POLICY, NOW, CALL_BACK_AT)).toStrictEqual({ status: 'open', nextAttemptAt: CALL_BACK_AT });
    });

    it('should still close the voter with max_attempts when the last attempt asked for a call back', () => {
      expect(contactAfterDisposition(Disposition.CallBack, POLICY.call_back.maxAttempts, POLICY, NOW, CALL_BACK_AT)).toStrictEqual({
        status: 'done',
        reason: 'max_attempts',
      });
    });
  });

  it('should follow the default policy when the campaign sets none', () => {
    expect(contactAfterDisposition(Disposition.Busy, 1, DEFAULT_RETRY_POLICY, NOW, null)).toStrictEqual({
      status: 'open',
      nextAttemptAt: minutesAfterNow(DEFAULT_RETRY_POLICY.busy.delayMinutes),
    });
    expect(contactAfterDisposition(Disposition.NotHome, DEFAULT_RETRY_POLICY.not_home.maxAttempts, DEFAULT_RETRY_POLICY, NOW, null)).toStrictEqual({
      status: 'done',
      reason: 'max_attempts',
    });
  });
});
