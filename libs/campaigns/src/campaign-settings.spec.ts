import { DomainErrorCode, DomainException } from '@app/common';
import {
  AVAILABLE_DIAL_MODES,
  DEFAULT_RETRY_POLICY,
  identificationProblem,
  parseCallerIds,
  parseCallingWindow,
  parseDialerSettings,
  parseRetryPolicy,
} from './campaign-settings';

/** The exception `parse` throws; fails the test when it returns or throws something else. */
function refusalOf(parse: () => unknown): DomainException {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DomainException)) throw new Error(`expected a DomainException, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  expect(thrown.code).toBe(DomainErrorCode.ValidationFailed);
  return thrown;
}

describe('parseRetryPolicy', () => {
  it('should give the defaults when no policy is set', () => {
    expect(parseRetryPolicy(undefined)).toStrictEqual(DEFAULT_RETRY_POLICY);
    expect(parseRetryPolicy(null)).toStrictEqual(DEFAULT_RETRY_POLICY);
    expect(parseRetryPolicy({})).toStrictEqual(DEFAULT_RETRY_POLICY);
  });

  it('should merge a partial policy over the defaults, field by field', () => {
    const policy = parseRetryPolicy({ busy: { delayMinutes: 10 }, voicemail: { maxAttempts: 6 } });

    expect(policy).toStrictEqual({
      ...DEFAULT_RETRY_POLICY,
      busy: { delayMinutes: 10, maxAttempts: DEFAULT_RETRY_POLICY.busy.maxAttempts },
      voicemail: { delayMinutes: DEFAULT_RETRY_POLICY.voicemail.delayMinutes, maxAttempts: 6 },
    });
  });

  it('should leave the defaults untouched', () => {
    const before = JSON.stringify(DEFAULT_RETRY_POLICY);

    parseRetryPolicy({ not_home: { delayMinutes: 1, maxAttempts: 1 } });

    expect(JSON.stringify(DEFAULT_RETRY_POLICY)).toBe(before);
  });

  it('should accept the bounds: no delay, 30 days, 1 and 20 attempts', () => {
    const policy = parseRetryPolicy({ not_home: { delayMinutes: 0, maxAttempts: 1 }, busy: { delayMinutes: 43_200, maxAttempts: 20 } });

    expect(policy.not_home).toStrictEqual({ delayMinutes: 0, maxAttempts: 1 });
    expect(policy.busy).toStrictEqual({ delayMinutes: 43_200, maxAttempts: 20 });
  });

  it('should refuse a disposition that is never retried, naming it', () => {
    const error = refusalOf(() => parseRetryPolicy({ contacted: { delayMinutes: 60 } }));

    expect(error.message).toContain('retryPolicy.contacted');
    expect(error.details).toMatchObject({ field: 'retryPolicy' });
  });

  it.each([
    [{ busy: { delayMinutes: -1 } }, 'retryPolicy.busy.delayMinutes'],
    [{ busy: { delayMinutes: 43_201 } }, 'retryPolicy.busy.delayMinutes'],
    [{ busy: { delayMinutes: 1.5 } }, 'retryPolicy.busy.delayMinutes'],
    [{ busy: { delayMinutes: '30' } }, 'retryPolicy.busy.delayMinutes'],
    [{ not_home: { maxAttempts: 0 } }, 'retryPolicy.not_home.maxAttempts'],
    [{ not_home: { maxAttempts: 21 } }, 'retryPolicy.not_home.maxAttempts'],
    [{ call_back: { maxAttempts: 2.5 } }, 'retryPolicy.call_back.maxAttempts'],
  ])('should refuse %j naming %s', (input, field) => {
    expect(refusalOf(() => parseRetryPolicy(input)).message).toContain(field);
  });

  it('should refuse a rule that is not an object of delayMinutes and maxAttempts rather than take the defaults for it', () => {
    const inputs = [{ busy: 5 }, { busy: 'often' }, { busy: { delay: 5 } }, { busy: { delayMinutes: 5, maxAttempt: 2 } }];

    const accepted = inputs.filter((input) => {
      try {
        parseRetryPolicy(input);
        return true;
      } catch (error) {
        return !(error instanceof DomainException && error.message.includes('retryPolicy.busy'));
      }
    });

    expect(accepted).toStrictEqual([]);
  });

  it('should name every bad entry in one refusal', () => {
    const error = refusalOf(() => parseRetryPolicy({ busy: { delayMinutes: -5 }, language_needed: { maxAttempts: 0 }, refused: {} }));

    expect(error.message).toContain('retryPolicy.busy.delayMinutes');
    expect(error.message).toContain('retryPolicy.language_needed.maxAttempts');
    expect(error.message).toContain('retryPolicy.refused');
  });

  it.each([['every day'], [[{ busy: { delayMinutes: 5 } }]], [42]])('should refuse %j, which is not an object keyed by disposition', (input) => {
    expect(refusalOf(() => parseRetryPolicy(input)).message).toContain('retryPolicy');
  });
});

describe('parseCallingWindow', () => {
  it('should give 09:00-20:30 when no window is set', () => {
    expect(parseCallingWindow(undefined)).toStrictEqual({ startMinute: 9 * 60, endMinute: 20 * 60 + 30 });
  });

  it('should take the default for the side that is left out', () => {
    expect(parseCallingWindow({ start: '10:00' })).toStrictEqual({ startMinute: 10 * 60, endMinute: 20 * 60 + 30 });
    expect(parseCallingWindow({ end: '18:15' })).toStrictEqual({ startMinute: 9 * 60, endMinute: 18 * 60 + 15 });
  });

  it('should accept the whole legal window 08:00-21:00', () => {
    expect(parseCallingWindow({ start: '08:00', end: '21:00' })).toStrictEqual({ startMinute: 8 * 60, endMinute: 21 * 60 });
  });

  it('should refuse a start before 08:00, naming the start and the bound', () => {
    const error = refusalOf(() => parseCallingWindow({ start: '07:59', end: '20:00' }));

    expect(error.message).toMatch(/^callingWindow\.start: /);
    expect(error.message).toContain('08:00');
    expect(error.details).toMatchObject({ field: 'callingWindow.start' });
  });

  it('should refuse an end after 21:00, naming the end and the bound', () => {
    const error = refusalOf(() => parseCallingWindow({ start: '09:00', end: '21:01' }));

    expect(error.message).toMatch(/^callingWindow\.end: /);
    expect(error.message).toContain('21:00');
    expect(error.details).toMatchObject({ field: 'callingWindow.end' });
  });

  it.each([
    ['12:00', '12:00'],
    ['13:00', '12:00'],
    ['20:45', undefined],
  ])('should refuse a window from %p to %p, whose start is not before its end', (start, end) => {
    const error = refusalOf(() => parseCallingWindow({ start, end }));

    expect(error.message).toMatch(/^callingWindow: /);
    expect(error.message).toContain('start must come before the end');
  });

  it.each([
    [{ start: '9am' }, 'callingWindow.start', '"9am"'],
    [{ start: '' }, 'callingWindow.start', '""'],
    [{ end: '25:00' }, 'callingWindow.end', '"25:00"'],
    [{ start: '10:00', end: '8 pm' }, 'callingWindow.end', '"8 pm"'],
  ])('should refuse the malformed %j naming %s and quoting the input', (input, field, quoted) => {
    const error = refusalOf(() => parseCallingWindow(input));

    expect(error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(error.message).toContain(quoted);
  });
});

describe('parseCallerIds', () => {
  it('should accept E.164 numbers', () => {
    expect(parseCallerIds(['+19195550123', '+442079460958', '+6112345'])).toStrictEqual(['+19195550123', '+442079460958', '+6112345']);
  });

  it('should accept an empty list', () => {
    expect(parseCallerIds([])).toStrictEqual([]);
  });

  it('should drop repeated numbers, keeping the first-seen order', () => {
    expect(parseCallerIds(['+19195550123', '+17045550199', '+19195550123'])).toStrictEqual(['+19195550123', '+17045550199']);
  });

  it('should refuse numbers not in E.164, listing each of them and none of the good ones', () => {
    const bad = ['9195550123', '+1 919 555 0123', '+0123456789', '+1234567890123456'];

    const error = refusalOf(() => parseCallerIds(['+17045550199', ...bad]));

    expect(error.details).toMatchObject({ field: 'callerIds' });
    for (const number of bad) expect(error.message).toContain(number);
    expect(error.message).not.toContain('+17045550199');
  });
});

describe('parseDialerSettings', () => {
  it('should make every dial mode available', () => {
    expect([...AVAILABLE_DIAL_MODES]).toEqual(['preview', 'power', 'predictive']);
  });

  it('should accept values on the right side of every bound, and trim messages', () => {
    expect(
      parseDialerSettings({
        callsPerSecond: 100,
        powerLinesPerVolunteer: 4,
        maxLinesPerVolunteer: 1,
        abandonRateTarget: 0.0299,
        identificationMessage: '  Fresno Neighbors, 559-555-0100  ',
        voicemailMessage: 'x'.repeat(1000),
      }),
    ).toEqual({
      callsPerSecond: 100,
      powerLinesPerVolunteer: 4,
      maxLinesPerVolunteer: 1,
      abandonRateTarget: 0.0299,
      identificationMessage: 'Fresno Neighbors, 559-555-0100',
      voicemailMessage: 'x'.repeat(1000),
    });
  });

  it('should leave absent settings absent, and read an empty message as none', () => {
    expect(parseDialerSettings({})).toEqual({});
    expect(parseDialerSettings({ identificationMessage: '   ', voicemailMessage: null })).toEqual({ identificationMessage: null, voicemailMessage: null });
  });

  it.each([
    ['abandonRateTarget', { abandonRateTarget: 0.03 }, /below 0\.03/],
    ['abandonRateTarget', { abandonRateTarget: 0 }, /above 0/],
    ['abandonRateTarget', { abandonRateTarget: Number.NaN }, /got NaN/],
    ['callsPerSecond', { callsPerSecond: 0 }, /more than 0/],
    ['callsPerSecond', { callsPerSecond: 100.5 }, /at most 100/],
    ['powerLinesPerVolunteer', { powerLinesPerVolunteer: 1.5 }, /whole number/],
    ['powerLinesPerVolunteer', { powerLinesPerVolunteer: 5 }, /1 to 4/],
    ['maxLinesPerVolunteer', { maxLinesPerVolunteer: 0.9 }, /1 to 20/],
    ['maxLinesPerVolunteer', { maxLinesPerVolunteer: 20.1 }, /1 to 20/],
    ['identificationMessage', { identificationMessage: 'Call us' }, /10 to 500 characters, got 7/],
    ['identificationMessage', { identificationMessage: 'x'.repeat(501) }, /got 501/],
    ['voicemailMessage', { voicemailMessage: 'Bye now' }, /10 to 1000 characters/],
  ])('should refuse a bad %s, naming it', (field, input, problem) => {
    const refusal = refusalOf(() => parseDialerSettings(input));
    expect(refusal.message).toMatch(new RegExp(`^${field}: `));
    expect(refusal.message).toMatch(problem);
    expect(refusal.details).toMatchObject({ field });
  });

  it('should name every bad setting at once', () => {
    const refusal = refusalOf(() => parseDialerSettings({ callsPerSecond: -1, abandonRateTarget: 0.5 }));
    expect(refusal.details).toMatchObject({ fields: ['callsPerSecond', 'abandonRateTarget'] });
  });
});

describe('identificationProblem', () => {
  it('should require an identification message of predictive campaigns only', () => {
    expect(identificationProblem('predictive', null)).toMatch(/predictive campaign needs an identification message/);
    expect(identificationProblem('predictive', 'Fresno Neighbors, 559-555-0100')).toBeNull();
    expect(identificationProblem('power', null)).toBeNull();
    expect(identificationProblem('preview', null)).toBeNull();
  });
});
