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

describe('drawCallPlan machine detection', () => {
  const DETECTION = { timeoutSeconds: 30, speechThresholdMs: 2400, speechEndThresholdMs: 1200, silenceTimeoutMs: 5000 };
  const detected = (input: Parameters<typeof parseScenario>[0], call: Partial<Parameters<typeof drawCallPlan>[2]> = {}) =>
    drawCallPlan(parseScenario(input), new SeededRandom(4), { ...CALL, machineDetection: 'Enable', machineDetectionOptions: DETECTION, ...call });

  it('should give a human verdict greeting + SpeechEndThreshold after pick-up and a machine verdict at machineVerdictMs', () => {
    const human = detected({ weights: { human: 1 }, amd: { humanGreetingMs: { min: 500, max: 1500 } } });
    expect(human).toMatchObject({ answeredBy: 'human', callee: 'human' });
    expect(human.greetingMs).toBeGreaterThanOrEqual(500);
    expect(human.greetingMs).toBeLessThanOrEqual(1500);
    expect(human.detectionMs).toBe((human.greetingMs ?? NaN) + 1200);
    expect(
      detected({ weights: { human: 1 }, amd: { humanGreetingMs: 800 } }, { machineDetectionOptions: { ...DETECTION, speechEndThresholdMs: 500 } }),
    ).toMatchObject({
      detectionMs: 1300,
    });
    expect(detected({ weights: { machine: 1 }, amd: { machineVerdictMs: 3500 } })).toMatchObject({
      answeredBy: 'machine_start',
      detectionMs: 3500,
      callee: 'machine',
    });
  });

  it('should end machine messages by the scenario’s weights under DetectMessageEnd, and give unknown after the silence timeout or at MachineDetectionTimeout', () => {
    expect(
      detected({ weights: { machine: 1 }, timings: { greetingMs: 7000 }, amd: { messageEnd: { silence: 1 } } }, { machineDetection: 'DetectMessageEnd' }),
    ).toMatchObject({ answeredBy: 'machine_end_silence', detectionMs: 8200 });
    expect(
      detected({ weights: { machine: 1 }, timings: { greetingMs: 7000 }, amd: { messageEnd: { other: 1 } } }, { machineDetection: 'DetectMessageEnd' }),
    ).toMatchObject({ answeredBy: 'machine_end_other', detectionMs: 7000 });
    expect(detected({ weights: { human: 1 }, amd: { unknownRate: 1 } }, { machineDetectionOptions: { ...DETECTION, silenceTimeoutMs: 2000 } })).toMatchObject({
      answeredBy: 'unknown',
      detectionMs: 2000,
    });
    expect(
      detected(
        { weights: { machine: 1 }, timings: { greetingMs: 20_000 } },
        { machineDetection: 'DetectMessageEnd', machineDetectionOptions: { ...DETECTION, timeoutSeconds: 10 } },
      ),
    ).toMatchObject({ answeredBy: 'unknown', detectionMs: 10_000, greetingMs: 20_000 });
  });

  it('should misread callees at the scenario’s rates, and a human whose greeting outlasts SpeechThreshold as a machine', () => {
    const rates = (amd: Record<string, number>, outcome: 'human' | 'machine') => {
      const scenario = parseScenario({ weights: { [outcome]: 1 }, amd });
      const random = new SeededRandom(9);
      const verdicts = Array.from({ length: 2000 }, () => drawCallPlan(scenario, random, { ...CALL, machineDetection: 'Enable' }).answeredBy);
      return (answeredBy: string) => verdicts.filter((verdict) => verdict === answeredBy).length / verdicts.length;
    };
    expect(rates({ humanAsMachine: 0.1 }, 'human')('machine_start')).toBeCloseTo(0.1, 1);
    expect(rates({ machineAsHuman: 0.2 }, 'machine')('human')).toBeCloseTo(0.2, 1);
    expect(rates({ faxRate: 0.3 }, 'machine')('fax')).toBeCloseTo(0.3, 1);
    expect(rates({ unknownRate: 0.05 }, 'human')('unknown')).toBeCloseTo(0.05, 1);
    expect(detected({ weights: { human: 1 }, amd: { humanGreetingMs: 3000 } })).toMatchObject({
      answeredBy: 'machine_start',
      callee: 'human',
      detectionMs: 3500,
    });
    expect(detected({ numbers: { '+15551230001': { answeredBy: 'fax' } }, weights: { human: 1 } })).toMatchObject({ answeredBy: 'fax', callee: 'human' });
  });

  it('should ring up to the timeout buffer past Timeout', () => {
    const scenario = parseScenario({ numbers: { '+15551230001': { outcome: 'human', ringMs: 12_000 } }, timings: { timeoutBufferMs: 5_000 } });
    expect(drawCallPlan(scenario, new SeededRandom(1), { ...CALL, timeoutSeconds: 10 })).toMatchObject({ outcome: 'human', ringMs: 12_000 });
    expect(drawCallPlan(scenario, new SeededRandom(1), { ...CALL, timeoutSeconds: 5 })).toMatchObject({ outcome: 'no-answer', ringMs: 10_000 });
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
