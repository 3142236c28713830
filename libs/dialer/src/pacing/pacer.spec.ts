import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decide } from './pacer';
import { DEFAULT_PACING_SETTINGS } from './pacing-defaults.constant';
import type { LineView, PacingSettings, PacingSnapshot, VolunteerView } from './pacing-snapshot';
import { emptyPacingStatistics, observePacing, type PacingStatistics } from './pacing-statistics';

const NOW = 1_000_000;

const settings = (overrides: Partial<PacingSettings> = {}): PacingSettings => ({
  ...DEFAULT_PACING_SETTINGS,
  mode: 'predictive',
  callsPerSecond: 10,
  ...overrides,
});

const volunteer = (id: number, state: VolunteerView['state'], secondsAgo = 0): VolunteerView => ({ id: `v${id}`, state, since: NOW - secondsAgo * 1000 });
const ringing = (id: number, secondsAgo: number): LineView => ({
  id: `l${id}`,
  state: 'ringing',
  placedAt: NOW - secondsAgo * 1000,
  startedAt: NOW - secondsAgo * 1000,
});

/**
 * A campaign that has seen 1,000 dials: a fifth human, detected 8–16 s after the start; machines at
 * 15–22 s; failures at 4 s; the rest no answer at 20 s. Conversations of 60 s and wrap-ups of 10–20 s.
 */
function experienced(riskAllowance = 0.05): PacingStatistics {
  let statistics = emptyPacingStatistics();
  for (let call = 0; call < 1_000; call += 1) {
    const kind = call % 10;
    if (kind < 2) statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'human', resolvedAfterMs: 8_000 + (call % 9) * 1_000 });
    else if (kind < 4) statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'machine', resolvedAfterMs: 15_000 + (call % 8) * 1_000 });
    else if (kind < 5) statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'failed', resolvedAfterMs: 4_000 });
    else statistics = observePacing(statistics, { kind: 'line-ended', outcome: 'no-answer', resolvedAfterMs: 20_000 });
  }
  for (let conversation = 0; conversation < 100; conversation += 1) {
    statistics = observePacing(statistics, { kind: 'talk-ended', durationMs: 50_000 + (conversation % 5) * 5_000 });
    statistics = observePacing(statistics, { kind: 'wrap-up-ended', durationMs: 10_000 + (conversation % 11) * 1_000 });
  }
  return { ...statistics, controller: { ...statistics.controller, riskAllowance } };
}

function snapshot(overrides: Partial<PacingSnapshot> = {}): PacingSnapshot {
  return {
    settings: settings(),
    volunteers: [],
    lines: [],
    leads: { automatic: 10_000, approved: 0, manualOnly: 0 },
    statistics: experienced(),
    // A campaign well inside the law: the record holds nothing back.
    abandonment30Days: { liveAnswers: 1_000, abandoned: 10 },
    ...overrides,
  };
}

const total = (decision: ReturnType<typeof decide>) => decision.automatic + decision.approved + decision.volunteerInitiated;

describe('decide', () => {
  describe('power mode', () => {
    it('should start one line per ready volunteer without one, each on that volunteer’s own action', () => {
      const decision = decide(
        snapshot({
          settings: settings({ mode: 'power' }),
          volunteers: [volunteer(1, 'ready'), volunteer(2, 'ready'), volunteer(3, 'ready'), volunteer(4, 'talking', 30)],
          lines: [ringing(1, 5)],
          leads: { automatic: 0, approved: 0, manualOnly: 50 },
        }),
        NOW,
      );
      expect(decision).toMatchObject({ automatic: 0, approved: 0, volunteerInitiated: 2, basis: 'power' });
    });

    it('should dial the extra lines of n:1 automatically only, so they never reach a mobile number', () => {
      const decision = decide(
        snapshot({
          settings: settings({ mode: 'power', powerLinesPerVolunteer: 3 }),
          volunteers: [volunteer(1, 'ready'), volunteer(2, 'ready')],
          leads: { automatic: 1, approved: 0, manualOnly: 10 },
        }),
        NOW,
      );
      // Two volunteers' own dials (may be mobiles) and one automatic landline: the only one offered.
      expect(decision).toMatchObject({ volunteerInitiated: 2, automatic: 1 });
    });

    it('should hold n:1 back to 1:1 while its extra lines could take the 30-day record past the target, and no longer', () => {
      const withRecord = (liveAnswers: number, abandoned: number) =>
        decide(
          snapshot({
            settings: settings({ mode: 'power', powerLinesPerVolunteer: 3 }),
            volunteers: [volunteer(1, 'ready'), volunteer(2, 'ready')],
            leads: { automatic: 10, approved: 0, manualOnly: 0 },
            abandonment30Days: { liveAnswers, abandoned },
          }),
          NOW,
        );
      // A young campaign: one abandoned call would read 1/21, past the 2.5% target.
      expect(withRecord(20, 0)).toMatchObject({ volunteerInitiated: 2, automatic: 0, basis: 'power-held' });
      // 2/81 = 2.47%: room for one more.
      expect(withRecord(80, 1)).toMatchObject({ volunteerInitiated: 2, automatic: 4, basis: 'power' });
      // 3/81: over the target, so no extra line until the record heals.
      expect(withRecord(80, 2)).toMatchObject({ volunteerInitiated: 2, automatic: 0, basis: 'power-held' });
    });

    it('should not dial for paused volunteers or without leads', () => {
      expect(total(decide(snapshot({ settings: settings({ mode: 'power' }), volunteers: [volunteer(1, 'paused')] }), NOW))).toBe(0);
      expect(
        decide(
          snapshot({ settings: settings({ mode: 'power' }), volunteers: [volunteer(1, 'ready')], leads: { automatic: 0, approved: 0, manualOnly: 0 } }),
          NOW,
        ),
      ).toMatchObject({
        volunteerInitiated: 0,
        basis: 'no-leads',
      });
    });
  });

  describe('predictive mode', () => {
    it('should dial power 1:1 until it has seen enough of the campaign', () => {
      const decision = decide(snapshot({ statistics: emptyPacingStatistics(), volunteers: [volunteer(1, 'ready'), volunteer(2, 'ready')] }), NOW);
      expect(decision).toMatchObject({ automatic: 2, volunteerInitiated: 0, basis: 'cold-start' });
    });

    it('should dial several lines per ready volunteer once it knows most lines never reach a human', () => {
      const decision = decide(snapshot({ volunteers: [volunteer(1, 'ready'), volunteer(2, 'ready'), volunteer(3, 'ready'), volunteer(4, 'ready')] }), NOW);
      expect(decision.basis).toBe('predictive');
      expect(decision.automatic).toBeGreaterThan(4);
      expect(decision.automatic).toBeLessThanOrEqual(32);
      expect(decision.estimate.humanRate).toBeCloseTo(0.2, 5);
    });

    it('should dial ahead for volunteers about to finish their wrap-up, not for those who just started talking', () => {
      const finishing = decide(snapshot({ volunteers: [1, 2, 3, 4].map((id) => volunteer(id, 'wrap-up', 15)) }), NOW);
      const talking = decide(snapshot({ volunteers: [1, 2, 3, 4].map((id) => volunteer(id, 'talking', 1)) }), NOW);
      expect(finishing.automatic).toBeGreaterThan(0);
      expect(talking.automatic).toBe(0);
    });

    it('should dial fewer lines while many lines already ring and when a human is waiting', () => {
      const volunteers = [1, 2, 3, 4].map((id) => volunteer(id, 'ready'));
      const idle = decide(snapshot({ volunteers }), NOW);
      const busy = decide(snapshot({ volunteers, lines: [1, 2, 3, 4, 5, 6].map((id) => ringing(id, 2)) }), NOW);
      const waiting = decide(
        snapshot({
          volunteers,
          lines: [...[1, 2, 3, 4, 5, 6].map((id) => ringing(id, 2)), { id: 'w', state: 'human-waiting', placedAt: NOW - 15_000, startedAt: NOW - 14_000 }],
        }),
        NOW,
      );
      expect(busy.automatic).toBeLessThan(idle.automatic);
      expect(waiting.automatic).toBeLessThan(busy.automatic);
    });

    it('should take more risk as the controller allows more, and none beyond power 1:1 once the 30-day record reaches the cap', () => {
      const volunteers = [1, 2, 3, 4, 5, 6].map((id) => volunteer(id, 'ready'));
      const careful = decide(snapshot({ volunteers, statistics: experienced(0.01) }), NOW);
      const bold = decide(snapshot({ volunteers, statistics: experienced(0.2) }), NOW);
      expect(bold.automatic).toBeGreaterThan(careful.automatic);
      const atCap = decide(snapshot({ volunteers, statistics: experienced(0.2), abandonment30Days: { liveAnswers: 999, abandoned: 29 } }), NOW);
      expect(atCap).toMatchObject({ automatic: 6, basis: 'cold-start' });
      // The record is judged as if the next answer were abandoned: (27 + 1) ÷ (1,000 + 1) is 2.8%, 0.3 points short of the cap, 0.5 above the target.
      const near = decide(snapshot({ volunteers, statistics: experienced(0.2), abandonment30Days: { liveAnswers: 1_000, abandoned: 27 } }), NOW);
      expect(near.estimate.riskAllowance).toBeCloseTo(0.2 * ((0.03 - 28 / 1_001) / 0.005), 5);
      // A young campaign: one abandoned call in its first twenty answers would put it over the cap.
      expect(decide(snapshot({ volunteers, statistics: experienced(0.2), abandonment30Days: { liveAnswers: 20, abandoned: 0 } }), NOW).basis).toBe(
        'cold-start',
      );
    });

    it('should keep within the leads offered, the line cap and the carrier queue, placing approved clicks first', () => {
      const volunteers = [1, 2, 3, 4].map((id) => volunteer(id, 'ready'));
      expect(decide(snapshot({ volunteers, leads: { automatic: 2, approved: 1, manualOnly: 100 } }), NOW)).toMatchObject({
        automatic: 2,
        approved: 1,
        volunteerInitiated: 0,
      });
      expect(total(decide(snapshot({ volunteers, settings: settings({ maxLinesPerVolunteer: 1.5 }), statistics: experienced(0.5) }), NOW))).toBe(6);
      // At one call per second only two wait in the carrier's queue, beyond the one line each ready volunteer always gets.
      expect(total(decide(snapshot({ volunteers, settings: settings({ callsPerSecond: 1 }), statistics: experienced(0.5) }), NOW))).toBe(4);
      expect(
        total(decide(snapshot({ volunteers: volunteers.slice(0, 1), settings: settings({ callsPerSecond: 1 }), statistics: experienced(0.5) }), NOW)),
      ).toBe(2);
      expect(total(decide(snapshot({ volunteers, settings: settings({ callsPerSecond: 10 }), statistics: experienced(0.5) }), NOW))).toBeGreaterThan(4);
      expect(total(decide(snapshot({ volunteers: [volunteer(1, 'paused')] }), NOW))).toBe(0);
    });
  });

  describe('purity', () => {
    const pacingFolder = __dirname;
    const sources = readdirSync(pacingFolder).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));

    it('should import only its own modules and name no clock, timer, randomness or I/O', () => {
      expect(sources.length).toBeGreaterThan(3);
      for (const file of sources) {
        const source = readFileSync(join(pacingFolder, file), 'utf8');
        for (const [, from] of source.matchAll(/from '([^']+)'/g)) expect(`${file}: ${from}`).toMatch(/: \.\//);
        expect(`${file}: ${source}`).not.toMatch(/\b(Date|setTimeout|setInterval|setImmediate|performance|process|Math\.random|require)\b/);
      }
    });

    it('should decide the same from the same snapshot without touching the clock or changing the snapshot', () => {
      const frozen = deepFreeze(
        snapshot({ volunteers: [volunteer(1, 'ready'), volunteer(2, 'wrap-up', 12), volunteer(3, 'talking', 40)], lines: [ringing(1, 3)] }),
      );
      const clock = jest.spyOn(Date, 'now').mockImplementation(() => {
        throw new Error('the pacer read the clock');
      });
      const random = jest.spyOn(Math, 'random').mockImplementation(() => {
        throw new Error('the pacer drew a random number');
      });
      try {
        const first = decide(frozen, NOW);
        expect(decide(frozen, NOW)).toEqual(first);
        expect(total(first)).toBeGreaterThan(0);
      } finally {
        clock.mockRestore();
        random.mockRestore();
      }
    });
  });
});

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
