import { DEFAULT_SCENARIO } from './scenario';
import { parseScenario, ScenarioValidationException } from './scenario.parser';

function fieldOf(input: unknown): string {
  try {
    parseScenario(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioValidationException);
    return (error as ScenarioValidationException).field;
  }
  throw new Error('expected the scenario to be refused');
}

describe('parseScenario', () => {
  it('should fill every field left out with its default', () => {
    expect(parseScenario(undefined)).toEqual(DEFAULT_SCENARIO);
    expect(parseScenario({})).toEqual(DEFAULT_SCENARIO);
  });

  it('should read fixed numbers as ranges, give unnamed outcomes weight 0 and keep other defaults', () => {
    const scenario = parseScenario({
      seed: 7,
      weights: { human: 2, busy: 1 },
      numbers: { '+15551230001': { outcome: 'busy', ringMs: 40 }, '+15551230002': { outcome: 'human', talkMs: null } },
      timings: { connectMs: 5, ringMs: { human: { min: 10, max: 20 } }, talkMs: { human: 30 } },
      duplicateRate: 0.25,
      messages: { numbers: { '+15551230003': { outcome: 'failed', errorCode: 30007 } } },
    });
    expect(scenario.weights).toEqual({ human: 2, machine: 0, busy: 1, 'no-answer': 0, failed: 0 });
    expect(scenario.numbers['+15551230001']).toEqual({ outcome: 'busy', ringMs: { min: 40, max: 40 } });
    expect(scenario.numbers['+15551230002']).toEqual({ outcome: 'human', talkMs: null });
    expect(scenario.timings.connectMs).toEqual({ min: 5, max: 5 });
    expect(scenario.timings.ringMs).toEqual({ ...DEFAULT_SCENARIO.timings.ringMs, human: { min: 10, max: 20 } });
    expect(scenario.timings.talkMs).toEqual({ human: { min: 30, max: 30 }, machine: null });
    expect(scenario.duplicateRate).toBe(0.25);
    expect(scenario.outOfOrderRate).toBe(0);
    expect(scenario.messages.numbers['+15551230003']).toEqual({ outcome: 'failed', errorCode: 30007 });
    expect(scenario.messages.weights).toEqual(DEFAULT_SCENARIO.messages.weights);
  });

  it('should name the field of every mistake', () => {
    expect(fieldOf([])).toBe('(root)');
    expect(fieldOf({ sead: 1 })).toBe('sead');
    expect(fieldOf({ seed: -1 })).toBe('seed');
    expect(fieldOf({ weights: { human: -1 } })).toBe('weights.human');
    expect(fieldOf({ weights: { human: 0 } })).toBe('weights');
    expect(fieldOf({ weights: { voicemail: 1 } })).toBe('weights.voicemail');
    expect(fieldOf({ numbers: { '5551230001': { outcome: 'busy' } } })).toBe('numbers.5551230001');
    expect(fieldOf({ numbers: { '+15551230001': {} } })).toBe('numbers.+15551230001.outcome');
    expect(fieldOf({ timings: { ringMs: { failed: 10 } } })).toBe('timings.ringMs.failed');
    expect(fieldOf({ timings: { ringMs: { busy: { min: 20, max: 10 } } } })).toBe('timings.ringMs.busy.max');
    expect(fieldOf({ timings: { connectMs: 1.5 } })).toBe('timings.connectMs');
    expect(fieldOf({ timings: { talkMs: { machine: { min: 1 } } } })).toBe('timings.talkMs.machine.max');
    expect(fieldOf({ timings: { maxCallMs: 0 } })).toBe('timings.maxCallMs');
    expect(fieldOf({ outOfOrderRate: 1.5 })).toBe('outOfOrderRate');
    expect(fieldOf({ lateMs: '10' })).toBe('lateMs');
    expect(fieldOf({ messages: { weights: { delivered: 0 } } })).toBe('messages.weights');
    expect(fieldOf({ messages: { numbers: { '+15551230001': { outcome: 'read' } } } })).toBe('messages.numbers.+15551230001.outcome');
    expect(fieldOf({ messages: { errorCodes: { failed: 'x' } } })).toBe('messages.errorCodes.failed');
  });
});
