import { drawCallPlan } from './call-plan.draw';
import { drawMessagePlan } from './message-plan.draw';
import { parseScenario } from './scenario.parser';
import { SeededRandom } from './seeded-random';

const CALL = { to: '+15551230001', timeoutSeconds: 60, machineDetection: null };

describe('drawCallPlan', () => {
  const scenario = parseScenario({ weights: { human: 1, machine: 1, busy: 1, 'no-answer': 1, failed: 1 } });

  it('should replay the same plans from the same seed and differ for another', () => {
    const plans = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => drawCallPlan(scenario, random.fork(), CALL));
    };
    expect(plans(11)).toEqual(plans(11));
    expect(plans(11)).not.toEqual(plans(12));
  });

  it('should draw outcomes in proportion to their weights', () => {
    const random = new SeededRandom(3);
    const weighted = parseScenario({ weights: { human: 3, busy: 1 } });
    const counts = new Map<string, number>();
    for (let index = 0; index < 4_000; index += 1) {
      const { outcome } = drawCallPlan(weighted, random, CALL);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['busy', 'human']);
    expect((counts.get('human') ?? 0) / 4_000).toBeCloseTo(0.75, 1);
  });

  it('should keep drawn timings within their ranges', () => {
    const random = new SeededRandom(5);
    for (let index = 0; index < 200; index += 1) {
      const plan = drawCallPlan(scenario, random, CALL);
      expect(plan.connectMs).toBeGreaterThanOrEqual(scenario.timings.connectMs.min);
      expect(plan.connectMs).toBeLessThanOrEqual(scenario.timings.connectMs.max);
      if (plan.outcome === 'failed') expect(plan.ringMs).toBe(0);
      else {
        expect(plan.ringMs).toBeGreaterThanOrEqual(scenario.timings.ringMs[plan.outcome].min);
        expect(plan.ringMs).toBeLessThanOrEqual(Math.min(scenario.timings.ringMs[plan.outcome].max, 60_000));
      }
    }
  });

  it('should follow a number override and turn a ring longer than Timeout into no-answer at Timeout', () => {
    const overridden = parseScenario({ numbers: { '+15551230001': { outcome: 'human', ringMs: 25_000, talkMs: 900 } } });
    const random = new SeededRandom(1);
    expect(drawCallPlan(overridden, random, { ...CALL, machineDetection: 'Enable' })).toMatchObject({
      outcome: 'human',
      ringMs: 25_000,
      answeredBy: 'human',
      talkMs: 900,
    });
    expect(drawCallPlan(overridden, random, { ...CALL, timeoutSeconds: 20 })).toMatchObject({
      outcome: 'no-answer',
      ringMs: 20_000,
      answeredBy: null,
      talkMs: null,
    });
  });

  it('should report machines by detection mode and time the greeting for DetectMessageEnd', () => {
    const machines = parseScenario({ weights: { machine: 1 }, timings: { detectionMs: 100, greetingMs: 7_000 } });
    const random = new SeededRandom(1);
    expect(drawCallPlan(machines, random, { ...CALL, machineDetection: 'Enable' })).toMatchObject({ answeredBy: 'machine_start', detectionMs: 100 });
    expect(drawCallPlan(machines, random, { ...CALL, machineDetection: 'DetectMessageEnd' })).toMatchObject({
      answeredBy: 'machine_end_beep',
      detectionMs: 7_000,
    });
    expect(drawCallPlan(machines, random, CALL)).toMatchObject({ answeredBy: null, detectionMs: 0, talkMs: null });
  });
});

describe('drawMessagePlan', () => {
  it('should give undelivered and failed texts an error code, from the override or the defaults', () => {
    const scenario = parseScenario({ messages: { weights: { undelivered: 1 }, numbers: { '+15551230009': { outcome: 'failed', errorCode: 30007 } } } });
    const random = new SeededRandom(1);
    expect(drawMessagePlan(scenario, random, '+15551230001')).toMatchObject({ outcome: 'undelivered', errorCode: 30003 });
    expect(drawMessagePlan(scenario, random, '+15551230009')).toMatchObject({ outcome: 'failed', errorCode: 30007 });
    expect(drawMessagePlan(parseScenario({}), random, '+15551230001')).toMatchObject({ outcome: 'delivered', errorCode: null });
  });
});
