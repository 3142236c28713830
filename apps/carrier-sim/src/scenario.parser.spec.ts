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
    expect(fieldOf({ amd: { faxRate: 2 } })).toBe('amd.faxRate');
    expect(fieldOf({ amd: { answeredEvent: 'later' } })).toBe('amd.answeredEvent');
    expect(fieldOf({ amd: { messageEnd: { beep: 0 } } })).toBe('amd.messageEnd');
    expect(fieldOf({ amd: { detectionMs: 10 } })).toBe('amd.detectionMs');
    expect(fieldOf({ numbers: { '+15551230001': { answeredBy: 'machine' } } })).toBe('numbers.+15551230001.answeredBy');
    expect(fieldOf({ numbers: { '+15551230001': { lineType: 'cell' } } })).toBe('numbers.+15551230001.lineType');
    expect(fieldOf({ lineTypes: { landline: 0 } })).toBe('lineTypes');
    expect(fieldOf({ lossRate: -0.1 })).toBe('lossRate');
    expect(fieldOf({ timings: { timeoutBufferMs: { min: 5 } } })).toBe('timings.timeoutBufferMs.max');
  });

  it('should read the detection model, per-number verdicts and line types, and accept its own output back', () => {
    const scenario = parseScenario({
      numbers: { '+15551230001': { answeredBy: 'fax', greetingMs: 900, lineType: 'landline' } },
      timings: { detectionMs: null },
      amd: { humanGreetingMs: { min: 400, max: 900 }, unknownRate: 0.02, messageEnd: { beep: 3, silence: 1 }, answeredEvent: 'pickup' },
      lineTypes: { landline: 1, mobile: 3 },
      callbackDelayMs: { min: 100, max: 400 },
      lossRate: 0.05,
    });
    expect(scenario.numbers['+15551230001']).toEqual({ answeredBy: 'fax', greetingMs: { min: 900, max: 900 }, lineType: 'landline' });
    expect(scenario.timings.detectionMs).toBeNull();
    expect(scenario.amd).toEqual({
      ...DEFAULT_SCENARIO.amd,
      humanGreetingMs: { min: 400, max: 900 },
      unknownRate: 0.02,
      messageEnd: { beep: 3, silence: 1, other: 0 },
      answeredEvent: 'pickup',
    });
    expect(scenario.lineTypes).toMatchObject({ landline: 1, mobile: 3, fixedVoip: 0 });
    expect(scenario.callbackDelayMs).toEqual({ min: 100, max: 400 });
    expect(parseScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
    expect(parseScenario({ timings: { detectionMs: 10 } }).timings.detectionMs).toEqual({ min: 10, max: 10 });
  });

  it('should read the messaging settings: caps, per-sender caps, create errors, queue delay, replies and the inbound URL', () => {
    const service = 'MG0123456789abcdef0123456789abcdef';
    const scenario = parseScenario({
      messages: {
        maxPerSecondPerSender: 1,
        maxPerSecondPerAccount: 0.5,
        senderCaps: { '+15005550006': 10, [service]: 50, Crossroads: null },
        numbers: { '+15551230004': { createError: 21614 }, '+15551230005': { outcome: 'failed', createError: 21211 } },
        queueDelayMs: { min: 100, max: 200 },
        serverErrorRate: 0.1,
        autoReplies: false,
        inboundUrl: 'http://127.0.0.1:3000/api/webhooks/twilio/sms',
        errorCodes: { expired: 30001 },
      },
    });
    expect(scenario.messages).toEqual({
      ...DEFAULT_SCENARIO.messages,
      maxPerSecondPerSender: 1,
      maxPerSecondPerAccount: 0.5,
      senderCaps: { '+15005550006': 10, [service]: 50, Crossroads: null },
      numbers: { '+15551230004': { createError: 21614 }, '+15551230005': { outcome: 'failed', createError: 21211 } },
      queueDelayMs: { min: 100, max: 200 },
      serverErrorRate: 0.1,
      autoReplies: false,
      inboundUrl: 'http://127.0.0.1:3000/api/webhooks/twilio/sms',
      errorCodes: { undelivered: 30003, failed: 30008, expired: 30001 },
    });
    expect(parseScenario(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
    expect(parseScenario({ messages: { maxPerSecondPerSender: null, inboundUrl: null } }).messages).toEqual(DEFAULT_SCENARIO.messages);
    expect(DEFAULT_SCENARIO.messages).toMatchObject({
      maxPerSecondPerSender: null,
      maxPerSecondPerAccount: null,
      senderCaps: {},
      serverErrorRate: 0,
      autoReplies: true,
      inboundUrl: null,
      queueDelayMs: { min: 0, max: 0 },
    });
  });

  it('should name the field of every messaging mistake', () => {
    expect(fieldOf({ messages: { maxPerSecondPerSender: 0 } })).toBe('messages.maxPerSecondPerSender');
    expect(fieldOf({ messages: { maxPerSecondPerAccount: '10' } })).toBe('messages.maxPerSecondPerAccount');
    expect(fieldOf({ messages: { senderCaps: { '555-0006': 10 } } })).toBe('messages.senderCaps.555-0006');
    expect(fieldOf({ messages: { senderCaps: { '+15005550006': -1 } } })).toBe('messages.senderCaps.+15005550006');
    expect(fieldOf({ messages: { senderCaps: [] } })).toBe('messages.senderCaps');
    expect(fieldOf({ messages: { numbers: { '+15551230001': {} } } })).toBe('messages.numbers.+15551230001.outcome');
    expect(fieldOf({ messages: { numbers: { '+15551230001': { createError: 404 } } } })).toBe('messages.numbers.+15551230001.createError');
    expect(fieldOf({ messages: { queueDelayMs: { min: 10, max: 5 } } })).toBe('messages.queueDelayMs.max');
    expect(fieldOf({ messages: { serverErrorRate: 2 } })).toBe('messages.serverErrorRate');
    expect(fieldOf({ messages: { autoReplies: 'yes' } })).toBe('messages.autoReplies');
    expect(fieldOf({ messages: { inboundUrl: 'ftp://example.com' } })).toBe('messages.inboundUrl');
    expect(fieldOf({ messages: { errorCodes: { expired: 0 } } })).toBe('messages.errorCodes.expired');
    expect(fieldOf({ messages: { maxPerSecond: 1 } })).toBe('messages.maxPerSecond');
  });
});
