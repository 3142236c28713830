import { LearnedDistributions } from './learned-distributions';
import {
  DEFAULT_CONTROLLER_TUNING,
  emptyPacingStatistics,
  INITIAL_RISK_ALLOWANCE,
  MIN_RISK_ALLOWANCE,
  observePacing,
  type PacingStatistics,
} from './pacing-statistics';

describe('observePacing', () => {
  it('should return a new value and leave the old one as it was', () => {
    const before = emptyPacingStatistics();
    const after = observePacing(before, { kind: 'line-ended', outcome: 'human', resolvedAfterMs: 12_300 });
    expect(before.lineEnds.human[12]).toBe(0);
    expect(after.lineEnds.human[12]).toBe(1);
    expect(after.observed.lineEnds).toBe(1);
  });

  it('should survive a JSON round trip, as production keeps it in Redis', () => {
    let statistics = emptyPacingStatistics();
    statistics = observePacing(statistics, { kind: 'talk-ended', durationMs: 61_000 });
    statistics = observePacing(statistics, { kind: 'wrap-up-ended', durationMs: 9_000 });
    expect(JSON.parse(JSON.stringify(statistics))).toEqual(statistics);
  });

  it('should put out-of-range and nonsense durations in the end bins', () => {
    let statistics = emptyPacingStatistics();
    statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'no-answer', resolvedAfterMs: 3_600_000 });
    statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'failed', resolvedAfterMs: -5 });
    expect(statistics.lineEnds['no-answer'].at(-1)).toBe(1);
    expect(statistics.lineEnds.failed[0]).toBe(1);
  });

  it('should halve old line ends once there are many, so estimates follow a drifting answer rate', () => {
    let statistics = emptyPacingStatistics();
    for (let call = 0; call < 5_000; call += 1) statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'no-answer', resolvedAfterMs: 20_000 });
    for (let call = 0; call < 2_000; call += 1) statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'human', resolvedAfterMs: 10_000 });
    // Two thousand humans after five thousand silent lines: without fading the rate would read 2/7.
    expect(LearnedDistributions.of(statistics).humanRate).toBeGreaterThan(0.4);
    expect(statistics.observed.lineEnds).toBe(7_000);
  });

  it('should settle the controller where abandoned ÷ live answers equals the target', () => {
    const run = (abandonEvery: number) => {
      let statistics: PacingStatistics = emptyPacingStatistics();
      for (let answer = 1; answer <= 1_000; answer += 1)
        statistics = observePacing(statistics, { kind: 'live-answer', abandoned: answer % abandonEvery === 0 });
      return statistics.controller;
    };
    // At exactly the target (2.5%) the allowance ends where it began; above it falls, below it rises.
    expect(DEFAULT_CONTROLLER_TUNING.abandonRateTarget).toBe(0.025);
    expect(run(40).riskAllowance).toBeCloseTo(INITIAL_RISK_ALLOWANCE, 5);
    expect(run(20).riskAllowance).toBe(MIN_RISK_ALLOWANCE);
    expect(run(200).riskAllowance).toBeGreaterThan(INITIAL_RISK_ALLOWANCE * 3);
    expect(run(20)).toMatchObject({ liveAnswers: 1_000, abandoned: 50 });
  });
});
