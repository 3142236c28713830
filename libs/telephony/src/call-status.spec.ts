import { advancesCall, CALL_STATUSES, type CallStatus, callOutcomeOf, isCallStatus, isTerminalCallStatus } from './call-status';

/** A call's life when all goes well, in order. */
const LIFE: readonly CallStatus[] = ['created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress', 'completed'];
const TERMINAL: readonly CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
const NOT_TERMINAL: readonly CallStatus[] = ['created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress'];

describe('isCallStatus', () => {
  it.each([...CALL_STATUSES])('should know %p', (status) => {
    expect(isCallStatus(status)).toBe(true);
  });

  it.each(['answered', 'Completed', 'in_progress', '', 'no answer'])('should not know %p', (value) => {
    expect(isCallStatus(value)).toBe(false);
  });
});

describe('isTerminalCallStatus', () => {
  it('should sort every status as terminal or not', () => {
    expect([...TERMINAL, ...NOT_TERMINAL].sort()).toStrictEqual([...CALL_STATUSES].sort());
  });

  it.each(TERMINAL)('should hold %p terminal', (status) => {
    expect(isTerminalCallStatus(status)).toBe(true);
  });

  it.each(NOT_TERMINAL)('should not hold %p terminal', (status) => {
    expect(isTerminalCallStatus(status)).toBe(false);
  });
});

describe('advancesCall', () => {
  it('should advance at each step of a call’s life and to every later step', () => {
    LIFE.forEach((current, index) => {
      for (const next of LIFE.slice(index + 1)) expect([current, next, advancesCall(current, next)]).toStrictEqual([current, next, true]);
    });
  });

  it('should never move a call back or leave it where it is', () => {
    LIFE.forEach((current, index) => {
      for (const next of LIFE.slice(0, index + 1)) expect([current, next, advancesCall(current, next)]).toStrictEqual([current, next, false]);
    });
  });

  it.each(NOT_TERMINAL.flatMap((current) => TERMINAL.map((next) => [current, next] as const)))('should let %p end as %p', (current, next) => {
    expect(advancesCall(current, next)).toBe(true);
  });

  it.each(TERMINAL.flatMap((current) => CALL_STATUSES.map((next) => [current, next] as const)))('should never replace terminal %p with %p', (current, next) => {
    expect(advancesCall(current, next)).toBe(false);
  });
});

describe('callOutcomeOf', () => {
  it.each([
    ['human', 'human'],
    ['unknown', 'unknown'],
    ['machine_start', 'machine'],
    ['machine_end_beep', 'machine'],
    ['machine_end_silence', 'machine'],
    ['machine_end_other', 'machine'],
    ['fax', 'machine'],
  ])('should record a call answered by %p as %p, whatever its status', (answeredBy, outcome) => {
    for (const status of ['in-progress', 'completed'] as const) expect(callOutcomeOf(status, answeredBy)).toBe(outcome);
  });

  it.each(['busy', 'no-answer', 'failed', 'canceled'] as const)('should record an unanswered call that ended %p as that', (status) => {
    expect(callOutcomeOf(status, null)).toBe(status);
  });

  it.each(['in-progress', 'completed'] as const)('should take a call answered without machine detection (%p) as answered by a person', (status) => {
    expect(callOutcomeOf(status, null)).toBe('human');
  });

  it.each(['created', 'requesting', 'queued', 'initiated', 'ringing'] as const)('should have no outcome yet for a call that is %p', (status) => {
    expect(callOutcomeOf(status, null)).toBeNull();
  });
});
