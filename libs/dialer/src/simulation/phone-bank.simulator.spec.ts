import type { LineState, PacingSnapshot } from '../pacing/pacing-snapshot';
import type { PacingPolicy } from './pacing-policy';
import { PARAMETER_SETS } from './parameter-sets.constant';
import { simulatePhoneBank } from './phone-bank.simulator';
import { PolicyContractError } from './policy-contract.error';
import { powerOneToOneClosedForm } from './power-closed-form.util';
import { lookAheadPolicy, powerOneToOnePolicy, staticRatioPolicy } from './reference-policies';
import type { SimulationParameters } from './simulation-parameters';
import { applyScenarios, STRESS_SCENARIO_NAMES } from './stress-scenarios.constant';

const HOUR_MS = 3_600_000;
const { S5, M20, L100 } = PARAMETER_SETS;

function lookAhead(parameters: SimulationParameters, alpha: number): PacingPolicy {
  return lookAheadPolicy({ alpha, humanRate: parameters.outcomes.human, meanHandleSeconds: parameters.talk.mean + parameters.wrapUp.mean });
}

/** Wraps a policy to look at every snapshot it is handed. */
function watching(policy: PacingPolicy, look: (snapshot: PacingSnapshot, now: number) => void): PacingPolicy {
  return (snapshot, now) => {
    look(snapshot, now);
    return policy(snapshot, now);
  };
}

describe('simulatePhoneBank', () => {
  describe('determinism', () => {
    const stressed = applyScenarios({ ...M20, hours: 0.75 }, ['amd-error', 'carrier-latency', 'volunteer-churn', 'line-type-split']);

    it('gives identical results for the same seed, and different ones for another seed', () => {
      const first = simulatePhoneBank(stressed, lookAhead(M20, 0.55));
      const second = simulatePhoneBank(stressed, lookAhead(M20, 0.55));
      expect(second).toEqual(first);
      const otherSeed = simulatePhoneBank({ ...stressed, seed: 2 }, lookAhead(M20, 0.55));
      expect(otherSeed.totalDials).not.toBe(first.totalDials);
    });

    it('never reads the clock', () => {
      const dateNow = jest.spyOn(Date, 'now');
      const performanceNow = jest.spyOn(performance, 'now');
      try {
        simulatePhoneBank({ ...stressed, hours: 0.25 }, lookAhead(M20, 0.55));
        expect(dateNow).not.toHaveBeenCalled();
        expect(performanceNow).not.toHaveBeenCalled();
      } finally {
        dateNow.mockRestore();
        performanceNow.mockRestore();
      }
    });
  });

  describe('power 1:1 against its closed form (§5.5 item 2)', () => {
    // Long enough that one seed's utilization is within a few thousandths of its expectation.
    const runs: Array<[string, SimulationParameters]> = [
      ['S5', { ...S5, mode: 'power', shifts: 10, hours: 4 }],
      ['M20', { ...M20, mode: 'power', shifts: 3, hours: 4 }],
      ['L100', { ...L100, mode: 'power', hours: 4 }],
    ];

    it.each(runs)('%s: utilization within 0.02 of the closed form, and no abandonment', (_name, parameters) => {
      const closedForm = powerOneToOneClosedForm(parameters);
      const result = simulatePhoneBank(parameters, powerOneToOnePolicy());
      expect(Math.abs(result.utilization - closedForm.utilization)).toBeLessThan(0.02);
      expect(Math.abs(result.conversationsPerVolunteerHour - closedForm.conversationsPerVolunteerHour) / closedForm.conversationsPerVolunteerHour).toBeLessThan(
        0.04,
      );
      expect(result.liveAnswers).toBeGreaterThan(1000);
      expect(result.abandoned).toBe(0);
      expect(result.observedAbandoned).toBe(0);
      expect(result.maxLinesInFlight).toBeLessThanOrEqual(parameters.volunteers);
    });
  });

  describe('abandonment accounting', () => {
    it('catches a policy that over-dials a small bank (static k = 10 on S5)', () => {
      const result = simulatePhoneBank(S5, staticRatioPolicy(10));
      expect(result.abandonRate).toBeGreaterThan(0.2);
      expect(result.observedAbandonRate).toBeCloseTo(result.abandonRate, 10);
      // Over-dialing buys conversations with abandoned people: it must not look like a free win.
      expect(result.abandoned).toBeGreaterThan(100);
    });

    it('counts humans that detection hung up on, which the dialer never sees', () => {
      const parameters: SimulationParameters = { ...M20, mode: 'power', hours: 2, amd: { ...M20.amd, humanMisclassified: 0.05, machineMisclassified: 0.05 } };
      const result = simulatePhoneBank(parameters, powerOneToOnePolicy());
      expect(result.abandonRate).toBeGreaterThan(0.03);
      expect(result.abandonRate).toBeLessThan(0.07);
      expect(result.observedAbandoned).toBe(0);
    });
  });

  describe('compliance counters', () => {
    // Two zones; the second (UTC+3) is at 19:00 when the shift opens, so its window closes 2 h in.
    const twoZones: SimulationParameters = {
      ...S5,
      leads: {
        ...S5.leads,
        zones: [
          { utcOffsetHours: 0, share: 0.5 },
          { utcOffsetHours: 3, share: 0.5 },
        ],
      },
    };
    const lateZoneOnly: SimulationParameters = { ...S5, shiftStartLocalHour: 19, leads: { ...S5.leads, zones: [{ utcOffsetHours: 3, share: 1 }] } };
    const windowClosesAt = 2 * HOUR_MS;

    it('hands out no lead past its calling window, even to a policy flooding a 1-CPS queue', () => {
      // Asking for 20 dials a second at 1 CPS: calls start long after they are placed, so only a
      // selection that checks the window at the carrier's start time keeps them all inside it.
      const flood: PacingPolicy = (snapshot) => ({
        ...powerOneToOnePolicy()(snapshot, 0),
        volunteerInitiated: 0,
        automatic: Math.min(20, snapshot.leads.automatic),
      });
      const offeredAfterClose: number[] = [];
      const result = simulatePhoneBank(
        lateZoneOnly,
        watching(flood, (snapshot, now) => {
          if (now >= windowClosesAt) offeredAfterClose.push(snapshot.leads.automatic);
        }),
      );
      expect(result.wrongWindowDials).toBe(0);
      expect(result.totalDials).toBeGreaterThan(7000);
      expect(offeredAfterClose.length).toBeGreaterThan(100);
      expect(Math.max(...offeredAfterClose)).toBe(0);
    });

    it('skips the closed zone and keeps dialing the open one', () => {
      const result = simulatePhoneBank(twoZones, staticRatioPolicy(1.5));
      const closed = simulatePhoneBank(lateZoneOnly, staticRatioPolicy(1.5));
      expect(result.wrongWindowDials).toBe(0);
      // The open zone keeps the bank busy for the whole shift, the closed one does not.
      expect(result.conversations).toBeGreaterThan(closed.conversations * 1.3);
    });

    it('counts dials outside the window when lead selection is broken', () => {
      expect(simulatePhoneBank({ ...lateZoneOnly, faults: { ignoreCallingWindow: true } }, staticRatioPolicy(1.5)).wrongWindowDials).toBeGreaterThan(0);
      expect(simulatePhoneBank({ ...twoZones, faults: { ignoreCallingWindow: true } }, staticRatioPolicy(1.5)).wrongWindowDials).toBeGreaterThan(0);
    });

    it('never dials a mobile lead automatically, and counts it when lead selection is broken', () => {
      const split = applyScenarios({ ...M20, hours: 0.5 }, ['line-type-split']);
      let approvedOffered = 0;
      const result = simulatePhoneBank(
        split,
        watching(staticRatioPolicy(4), (snapshot) => {
          approvedOffered = Math.max(approvedOffered, snapshot.leads.approved);
        }),
      );
      expect(result.automaticMobileDials).toBe(0);
      expect(approvedOffered).toBeGreaterThan(0);
      expect(simulatePhoneBank({ ...split, faults: { ignoreLineType: true } }, staticRatioPolicy(4)).automaticMobileDials).toBeGreaterThan(0);
    });

    it('counts short rings: none at the 20 s timeout, every no-answer at a 12 s one', () => {
      expect(simulatePhoneBank({ ...M20, hours: 0.5 }, lookAhead(M20, 0.55)).shortRings).toBe(0);
      const short = simulatePhoneBank({ ...M20, hours: 0.5, ringTimeoutSeconds: 12 }, lookAhead(M20, 0.55));
      // Every no-answer that rang out before the shift ended.
      expect(short.shortRings).toBeGreaterThan(0.99 * short.outcomes.noAnswer);
      expect(short.shortRings).toBeLessThanOrEqual(short.outcomes.noAnswer);
    });
  });

  describe('the policy contract', () => {
    const finite: SimulationParameters = { ...S5, hours: 0.5, leads: { ...S5.leads, count: 20 } };

    it('throws when a policy asks for more leads than the snapshot offered', () => {
      const greedy: PacingPolicy = (snapshot) => ({ ...powerOneToOnePolicy()(snapshot, 0), automatic: snapshot.leads.automatic + 1 });
      expect(() => simulatePhoneBank(finite, greedy)).toThrow(PolicyContractError);
    });

    it('throws on a count that is not a whole number', () => {
      const fractional: PacingPolicy = (snapshot) => ({ ...powerOneToOnePolicy()(snapshot, 0), volunteerInitiated: 0.5 });
      expect(() => simulatePhoneBank(finite, fractional)).toThrow(PolicyContractError);
    });

    it('stops dialing when a finite list runs out', () => {
      const result = simulatePhoneBank(finite, staticRatioPolicy(3));
      expect(result.totalDials).toBe(20);
    });
  });

  describe('the snapshot', () => {
    it('shows only what a production dialer would know, consistently', () => {
      const parameters = applyScenarios({ ...S5, hours: 2 }, ['volunteer-churn', 'carrier-latency']);
      const lineStates = new Set<LineState>();
      const volunteerStates = new Set<string>();
      let previousLineEnds = 0;
      let previousLiveAnswers = 0;
      let decisions = 0;
      const problems: string[] = [];
      simulatePhoneBank(
        parameters,
        watching(staticRatioPolicy(2.5), (snapshot, now) => {
          decisions += 1;
          const lineIds = new Set<string>();
          for (const line of snapshot.lines) {
            lineStates.add(line.state);
            lineIds.add(line.id);
            if (line.placedAt > now) problems.push(`${line.id} placed in the future`);
            if ((line.state === 'queued') !== (line.startedAt === null)) problems.push(`${line.id} ${line.state} with startedAt ${line.startedAt}`);
            if (line.startedAt !== null && (line.startedAt > now || line.startedAt < line.placedAt)) problems.push(`${line.id} started at ${line.startedAt}`);
          }
          if (lineIds.size !== snapshot.lines.length) problems.push('a line listed twice');
          const volunteerIds = new Set(snapshot.volunteers.map((volunteer) => volunteer.id));
          if (volunteerIds.size !== snapshot.volunteers.length || volunteerIds.size > parameters.volunteers) problems.push('volunteers listed twice');
          for (const volunteer of snapshot.volunteers) {
            volunteerStates.add(volunteer.state);
            if (volunteer.since > now) problems.push(`${volunteer.id} since the future`);
          }
          if (snapshot.statistics.observed.lineEnds < previousLineEnds) problems.push('line ends went backwards');
          if (snapshot.abandonment30Days.liveAnswers < previousLiveAnswers) problems.push('live answers went backwards');
          if (snapshot.abandonment30Days.abandoned > snapshot.abandonment30Days.liveAnswers) problems.push('more abandoned than answered');
          previousLineEnds = snapshot.statistics.observed.lineEnds;
          previousLiveAnswers = snapshot.abandonment30Days.liveAnswers;
          if (snapshot.settings.callsPerSecond !== parameters.callsPerSecond || snapshot.settings.mode !== parameters.mode)
            problems.push('settings differ from the run');
        }),
      );
      expect(problems.slice(0, 5)).toEqual([]);
      expect([...lineStates].sort()).toEqual(['answered', 'human-waiting', 'queued', 'ringing']);
      expect([...volunteerStates].sort()).toEqual(['paused', 'ready', 'talking', 'wrap-up']);
      expect(previousLineEnds).toBeGreaterThan(500);
      expect(decisions).toBeGreaterThan(2 * 3600);
    });

    it('decides on every tick and after events, at most once per 250 ms', () => {
      const times: number[] = [];
      const parameters: SimulationParameters = { ...M20, hours: 0.25, warmUpMinutes: 0 };
      simulatePhoneBank(
        parameters,
        watching(lookAhead(M20, 0.55), (_snapshot, now) => times.push(now)),
      );
      const gaps = times.slice(1).map((time, index) => time - times[index]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(1000);
      // Event-triggered decisions come between ticks.
      expect(times.length).toBeGreaterThan(1.5 * 900);
      const ticksOnly: number[] = [];
      simulatePhoneBank(
        { ...parameters, decideOnEvents: false },
        watching(lookAhead(M20, 0.55), (_snapshot, now) => ticksOnly.push(now)),
      );
      expect(ticksOnly.length).toBe(900);
    });

    it('lets the dialer learn outcomes late under webhook latency', () => {
      let lastStatistics: PacingSnapshot['statistics'] | null = null;
      const capture = (snapshot: PacingSnapshot) => {
        lastStatistics = snapshot.statistics;
      };
      const base: SimulationParameters = { ...M20, hours: 0.5 };
      simulatePhoneBank(base, watching(lookAhead(M20, 0.55), capture));
      const prompt = (lastStatistics as PacingSnapshot['statistics'] | null)?.lineEnds['no-answer'] ?? [];
      simulatePhoneBank(applyScenarios(base, ['carrier-latency']), watching(lookAhead(M20, 0.55), capture));
      const late = (lastStatistics as PacingSnapshot['statistics'] | null)?.lineEnds['no-answer'] ?? [];
      // No-answers end at exactly 20 s; the dialer hears of some of them a second or more later.
      expect(prompt.slice(21).reduce((sum, count) => sum + count, 0)).toBe(0);
      expect(late.slice(21).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    });
  });

  describe('stress scenarios', () => {
    it.each(STRESS_SCENARIO_NAMES)('%s runs, strands no volunteer and keeps the hard checks at 0', (name) => {
      const parameters = applyScenarios({ ...M20, hours: 0.5 }, [name, 'amd-error']);
      let longestTalk = 0;
      const result = simulatePhoneBank(
        parameters,
        watching(lookAhead(M20, 0.55), (snapshot, now) => {
          for (const volunteer of snapshot.volunteers) if (volunteer.state === 'talking') longestTalk = Math.max(longestTalk, now - volunteer.since);
        }),
      );
      // Talk times are LogNormal(60 s, 45 s): 20 minutes on one line means a volunteer was never released.
      expect(longestTalk).toBeLessThan(20 * 60_000);
      expect(result.conversations).toBeGreaterThan(0);
      expect(result.wrongWindowDials).toBe(0);
      expect(result.shortRings).toBe(0);
      expect(result.automaticMobileDials).toBe(0);
      expect(result.shifts).toHaveLength(parameters.shifts);
    });

    it('volunteer churn logs volunteers in late, pauses them and lets some leave', () => {
      const parameters = applyScenarios({ ...M20, hours: 2 }, ['volunteer-churn']);
      const result = simulatePhoneBank(parameters, lookAhead(M20, 0.55));
      expect(result.volunteerHours).toBeLessThan(0.97 * parameters.volunteers * parameters.hours);
      expect(result.volunteerHours).toBeGreaterThan(0.6 * parameters.volunteers * parameters.hours);
    });

    it('answer-rate drift moves the live-human share of dials', () => {
      const power: SimulationParameters = { ...M20, mode: 'power', hours: 2 };
      const share = (parameters: SimulationParameters) => {
        const result = simulatePhoneBank(parameters, powerOneToOnePolicy());
        return result.outcomes.human / result.totalDials;
      };
      expect(share(power)).toBeCloseTo(0.12, 1);
      expect(share({ ...power, drift: { shape: 'step', from: 1.5, to: 1.5 } })).toBeGreaterThan(0.16);
      expect(share({ ...power, drift: { shape: 'ramp', from: 0.5, to: 0.5 } })).toBeLessThan(0.075);
    });

    it('30-day accounting carries the statistics and the abandonment record across 20 shifts', () => {
      const parameters = applyScenarios({ ...S5, hours: 1 }, ['thirty-day-accounting']);
      const secondShiftRecords: number[] = [];
      const result = simulatePhoneBank(
        parameters,
        watching(lookAhead(S5, 0.3), (snapshot, now) => {
          if (now >= 24 * HOUR_MS && now < 24 * HOUR_MS + 1000)
            secondShiftRecords.push(snapshot.abandonment30Days.liveAnswers, snapshot.statistics.observed.lineEnds);
        }),
      );
      expect(result.shifts).toHaveLength(20);
      expect(result.shifts.reduce((sum, shift) => sum + shift.liveAnswers, 0)).toBe(result.liveAnswers);
      expect(result.shifts.reduce((sum, shift) => sum + shift.observedLiveAnswers, 0)).toBe(result.observedLiveAnswers);
      expect(Math.min(...secondShiftRecords)).toBeGreaterThan(0);
    });
  });
});
