import twilio from 'twilio';
import { type CarrierSimulator, createCarrierSimulator } from './carrier-simulator';
import type { ScenarioInput } from './scenario';
import { ScenarioValidationException } from './scenario.parser';
import { SILENT_LOG } from './simulator-log';
import { type ReceivedCallback, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.fixture';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const FROM = '+15005550006';
const TWIML = '<Response><Pause length="60"/></Response>';

/** Tens of milliseconds per phase, so every call plays out well within a test. */
const FAST: ScenarioInput = {
  timings: {
    connectMs: 5,
    ringMs: { human: 20, machine: 20, busy: 20, 'no-answer': 30 },
    detectionMs: 10,
    greetingMs: 40,
    talkMs: { human: 30, machine: 30 },
    maxCallMs: 5_000,
  },
  messages: { sentMs: 10, deliveredMs: 20 },
};

function clientFor(simulatorUrl: string, accountSid = ACCOUNT_SID, authToken = AUTH_TOKEN): twilio.Twilio {
  const client = twilio(accountSid, authToken);
  client.api.baseUrl = simulatorUrl;
  return client;
}

function forCall(received: readonly ReceivedCallback[], callSid: string): ReceivedCallback[] {
  return received.filter((callback) => callback.params.CallSid === callSid);
}

function hasFinal(callSid: string) {
  return (received: readonly ReceivedCallback[]): boolean =>
    forCall(received, callSid).some((callback) => callback.params.CallbackSource && isTerminalStatus(callback.params.CallStatus));
}

function isTerminalStatus(status: string | undefined): boolean {
  return ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(status ?? '');
}

async function restError(promise: Promise<unknown>): Promise<{ status: number; code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(twilio.RestException);
    const { status, code, message } = error as twilio.RestException;
    return { status, code: code ?? -1, message };
  }
  throw new Error('expected the request to fail');
}

describe('carrier simulator (driven by the twilio SDK)', () => {
  let simulator: CarrierSimulator;
  let baseUrl: string;
  let client: twilio.Twilio;
  let receiver: WebhookReceiver;
  const statusCallback = (): string => `${receiver.url}/webhooks/call-status?campaign=7`;

  beforeAll(async () => {
    simulator = createCarrierSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callsPerSecond: 200, scenario: FAST, log: SILENT_LOG });
    baseUrl = (await simulator.listen(0)).url;
    client = clientFor(baseUrl);
    receiver = await startWebhookReceiver(AUTH_TOKEN);
  });

  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  beforeEach(() => {
    simulator.reset();
    simulator.setScenario(FAST);
    receiver.received.length = 0;
  });

  it('should play a human answer as signed callbacks in order, and track the call resource', async () => {
    const to = '+15551230001';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'human' } } });
    const call = await client.calls.create({
      to,
      from: FROM,
      twiml: TWIML,
      statusCallback: statusCallback(),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      machineDetection: 'Enable',
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call).toMatchObject({ status: 'queued', direction: 'outbound-api', apiVersion: '2010-04-01', accountSid: ACCOUNT_SID, to, from: FROM });
    expect(call.answeredBy).toBeNull();
    expect(call.duration).toBeNull();

    const callbacks = forCall(await receiver.waitFor(hasFinal(call.sid)), call.sid);
    expect(callbacks.map((callback) => [callback.params.SequenceNumber, callback.params.CallStatus])).toEqual([
      ['0', 'initiated'],
      ['1', 'ringing'],
      ['2', 'in-progress'],
      ['3', 'completed'],
    ]);
    for (const callback of callbacks) {
      expect(callback.valid).toBe(true);
      expect(callback.method).toBe('POST');
      expect(callback.contentType).toBe('application/x-www-form-urlencoded');
      expect(callback.idempotencyToken).toBeTruthy();
      expect(callback.params).toMatchObject({
        AccountSid: ACCOUNT_SID,
        From: FROM,
        To: to,
        Called: to,
        Caller: FROM,
        Direction: 'outbound-api',
        ApiVersion: '2010-04-01',
        CallbackSource: 'call-progress-events',
      });
      expect(callback.params.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    }
    expect(callbacks[2].params.AnsweredBy).toBe('human');
    expect(callbacks[3].params).toMatchObject({ AnsweredBy: 'human', CallDuration: '1' });
    expect(callbacks[0].params.CallDuration).toBeUndefined();
    expect(new Set(callbacks.map((callback) => callback.idempotencyToken)).size).toBe(4);

    const fetched = await client.calls(call.sid).fetch();
    expect(fetched).toMatchObject({ status: 'completed', answeredBy: 'human', duration: '1' });
    expect(fetched.startTime).toBeInstanceOf(Date);
    expect(fetched.endTime).toBeInstanceOf(Date);
  });

  it('should tell machines apart by MachineDetection mode', async () => {
    const greeting = '+15551230002';
    const quick = '+15551230003';
    simulator.setScenario({ ...FAST, numbers: { [greeting]: { outcome: 'machine' }, [quick]: { outcome: 'machine' } } });
    const events = ['answered', 'completed'];
    const endOfMessage = await client.calls.create({
      to: greeting,
      from: FROM,
      twiml: TWIML,
      statusCallback: statusCallback(),
      statusCallbackEvent: events,
      machineDetection: 'DetectMessageEnd',
    });
    const enable = await client.calls.create({
      to: quick,
      from: FROM,
      twiml: TWIML,
      statusCallback: statusCallback(),
      statusCallbackEvent: events,
      machineDetection: 'Enable',
    });
    const received = await receiver.waitFor((all) => hasFinal(endOfMessage.sid)(all) && hasFinal(enable.sid)(all));

    const answered = (sid: string): ReceivedCallback | undefined => forCall(received, sid).find((callback) => callback.params.CallStatus === 'in-progress');
    expect(answered(endOfMessage.sid)?.params.AnsweredBy).toBe('machine_end_beep');
    expect(answered(enable.sid)?.params.AnsweredBy).toBe('machine_start');
    expect(forCall(received, enable.sid).map((callback) => callback.params.SequenceNumber)).toEqual(['0', '1']);
    expect((await client.calls(endOfMessage.sid).fetch()).answeredBy).toBe('machine_end_beep');

    const withoutDetection = await client.calls.create({ to: quick, from: FROM, twiml: TWIML, statusCallback: statusCallback(), statusCallbackEvent: events });
    const plain = forCall(await receiver.waitFor(hasFinal(withoutDetection.sid)), withoutDetection.sid);
    expect(plain.map((callback) => callback.params.CallStatus)).toEqual(['in-progress', 'completed']);
    expect(plain.every((callback) => callback.params.AnsweredBy === undefined)).toBe(true);
  });

  it('should end busy, unanswered and failed calls with only the completed callback by default', async () => {
    const numbers = { '+15551230011': 'busy', '+15551230012': 'no-answer', '+15551230013': 'failed' } as const;
    simulator.setScenario({ ...FAST, numbers: Object.fromEntries(Object.entries(numbers).map(([to, outcome]) => [to, { outcome }])) });
    const created = await Promise.all(
      Object.keys(numbers).map((to) => client.calls.create({ to, from: FROM, url: `${receiver.url}/twiml`, statusCallback: statusCallback() })),
    );
    const received = await receiver.waitFor((all) => created.every((call) => hasFinal(call.sid)(all)));

    for (const call of created) {
      const callbacks = forCall(received, call.sid);
      expect(callbacks).toHaveLength(1);
      expect(callbacks[0].valid).toBe(true);
      expect(callbacks[0].params).toMatchObject({ CallStatus: numbers[call.to as keyof typeof numbers], SequenceNumber: '0', CallDuration: '0' });
      const fetched = await client.calls(call.sid).fetch();
      expect(fetched.status).toBe(numbers[call.to as keyof typeof numbers]);
      expect(fetched.duration).toBeNull();
    }
    const failed = simulator.calls({ to: '+15551230013' })[0] as { timeline: Array<{ event: string }> };
    expect(failed.timeline.map((entry) => entry.event)).toEqual(['initiated', 'completed']);
  });

  it('should stop ringing at the call Timeout as no-answer', async () => {
    const to = '+15551230021';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'human', ringMs: 5_000 } } });
    const call = await client.calls.create({ to, from: FROM, twiml: TWIML, timeout: 1, statusCallback: statusCallback(), statusCallbackEvent: ['ringing'] });
    const callbacks = forCall(await receiver.waitFor(hasFinal(call.sid), 3_000), call.sid);
    expect(callbacks.map((callback) => callback.params.CallStatus)).toEqual(['ringing', 'no-answer']);
    const rangFor = callbacks[1].receivedAt - callbacks[0].receivedAt;
    expect(rangFor).toBeGreaterThanOrEqual(950);
    expect(rangFor).toBeLessThan(2_000);
  });

  it('should hang up on our request with a duration, after recording a redirect', async () => {
    const to = '+15551230031';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'human', talkMs: null } } });
    const call = await client.calls.create({ to, from: FROM, twiml: TWIML, statusCallback: statusCallback(), statusCallbackEvent: ['answered'] });
    await receiver.waitFor((all) => forCall(all, call.sid).some((callback) => callback.params.CallStatus === 'in-progress'));

    const conference = '<Response><Dial><Conference>volunteer-7</Conference></Dial></Response>';
    const redirected = await client.calls(call.sid).update({ twiml: conference });
    expect(redirected.status).toBe('in-progress');
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const ended = await client.calls(call.sid).update({ status: 'completed' });
    expect(ended.status).toBe('completed');
    expect(Number(ended.duration)).toBeGreaterThanOrEqual(2);

    const callbacks = forCall(await receiver.waitFor(hasFinal(call.sid)), call.sid);
    expect(callbacks.map((callback) => callback.params.CallStatus)).toEqual(['in-progress', 'completed']);
    expect(callbacks[1].params.CallDuration).toBe(ended.duration);
    const snapshot = simulator.calls({ to })[0] as { twiml: string; instructions: Array<{ twiml: string | null }> };
    expect(snapshot.twiml).toBe(conference);
    expect(snapshot.instructions.map((instruction) => instruction.twiml)).toEqual([conference]);
    expect(await restError(client.calls(call.sid).update({ url: `${receiver.url}/twiml` }))).toMatchObject({ status: 400, code: 21220 });
  });

  it('should refuse wrong credentials and another account with 20003', async () => {
    const wrongToken = clientFor(baseUrl, ACCOUNT_SID, 'not-the-token');
    expect(await restError(wrongToken.calls.create({ to: '+15551230041', from: FROM, twiml: TWIML }))).toEqual({
      status: 401,
      code: 20003,
      message: 'Authenticate',
    });
    const otherAccount = clientFor(baseUrl, 'AC11111111111111111111111111111111', AUTH_TOKEN);
    expect(await restError(otherAccount.calls.create({ to: '+15551230041', from: FROM, twiml: TWIML }))).toMatchObject({ status: 401, code: 20003 });
    const response = await fetch(`${baseUrl}/sim/calls`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    expect(simulator.stats().calls.created).toBe(0);
  });

  it('should refuse invalid create requests with Twilio error codes', async () => {
    const valid = { to: '+15551230051', from: FROM, twiml: TWIML };
    expect(await restError(client.calls.create({ ...valid, to: '' }))).toMatchObject({ status: 400, code: 21201 });
    expect(await restError(client.calls.create({ ...valid, to: '555-0100' }))).toMatchObject({ status: 400, code: 21211 });
    expect(await restError(client.calls.create({ ...valid, from: '5550100' }))).toMatchObject({ status: 400, code: 21212 });
    expect(await restError(client.calls.create({ to: valid.to, from: FROM }))).toMatchObject({ status: 400, code: 21205 });
    const applicationAndUrl = await restError(
      client.calls.create({ ...valid, twiml: undefined, url: `${receiver.url}/twiml`, applicationSid: `AP${'0'.repeat(32)}` }),
    );
    expect(applicationAndUrl).toMatchObject({ status: 400, code: 21205 });
    expect(applicationAndUrl.message).toContain('Url and ApplicationSid');
    expect(await restError(client.calls.create({ ...valid, machineDetection: 'Enable', machineDetectionSpeechThreshold: 999 }))).toMatchObject({
      status: 400,
      code: 21234,
    });
    expect(await restError(client.calls.create({ ...valid, machineDetection: 'Enable', machineDetectionTimeout: 60 }))).toMatchObject({
      status: 400,
      code: 21234,
    });
    expect(await restError(client.calls.create({ ...valid, asyncAmd: 'maybe' }))).toMatchObject({ status: 400, code: 21234 });
    expect((await restError(client.calls.create({ ...valid, machineDetection: 'Sometimes' }))).message).toContain('MachineDetection');
    expect(await restError(client.calls('CA00000000000000000000000000000000').fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(simulator.stats().calls.created).toBe(0);
  });

  it('should send GET callbacks with the params in the signed URL', async () => {
    const to = '+15551230061';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'busy' } } });
    const call = await client.calls.create({ to, from: FROM, twiml: TWIML, statusCallback: statusCallback(), statusCallbackMethod: 'GET' });
    const [callback] = forCall(await receiver.waitFor(hasFinal(call.sid)), call.sid);
    expect(callback).toMatchObject({ method: 'GET', valid: true });
    expect(callback.params).toMatchObject({ CallStatus: 'busy', campaign: '7', To: to });
  });

  it('should inject duplicate callbacks', async () => {
    const to = '+15551230071';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'human' } }, duplicateRate: 1, lateMs: { min: 5, max: 15 } });
    const call = await client.calls.create({ to, from: FROM, twiml: TWIML, statusCallback: statusCallback(), statusCallbackEvent: ['ringing', 'answered'] });
    const callbacks = forCall(await receiver.waitFor((all) => forCall(all, call.sid).length === 6), call.sid);
    const bySequence = new Map<string, ReceivedCallback[]>();
    for (const callback of callbacks) bySequence.set(callback.params.SequenceNumber, [...(bySequence.get(callback.params.SequenceNumber) ?? []), callback]);
    expect([...bySequence.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [first, second] of bySequence.values()) {
      expect(second.params).toEqual(first.params);
      expect(second.idempotencyToken).toBe(first.idempotencyToken);
      expect(second.valid).toBe(true);
    }
    expect(simulator.stats().callbacks).toMatchObject({ duplicated: 3, sent: 6, failed: 0 });
  });

  it('should inject out-of-order callbacks', async () => {
    const to = '+15551230081';
    simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'human' } }, outOfOrderRate: 1, lateMs: { min: 5, max: 15 } });
    const call = await client.calls.create({
      to,
      from: FROM,
      twiml: TWIML,
      statusCallback: statusCallback(),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    const callbacks = forCall(await receiver.waitFor((all) => forCall(all, call.sid).length === 4), call.sid);
    const order = callbacks.map((callback) => Number(callback.params.SequenceNumber));
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
    expect(order).not.toEqual([0, 1, 2, 3]);
    expect(callbacks.every((callback) => callback.valid)).toBe(true);
    expect(simulator.stats().callbacks.reordered).toBeGreaterThan(0);
  });

  it('should count callbacks that fail and never retry them', async () => {
    const closed = await startWebhookReceiver(AUTH_TOKEN);
    await closed.close();
    const refusing = await startWebhookReceiver(AUTH_TOKEN, () => 500);
    try {
      const to = '+15551230091';
      simulator.setScenario({ ...FAST, numbers: { [to]: { outcome: 'failed' } } });
      await client.calls.create({ to, from: FROM, twiml: TWIML, statusCallback: `${closed.url}/gone` });
      await client.calls.create({ to, from: FROM, twiml: TWIML, statusCallback: `${refusing.url}/broken` });
      await refusing.waitFor((all) => all.length === 1);
      const deadline = Date.now() + 2_000;
      while (simulator.stats().callbacks.failed < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(simulator.stats().callbacks).toMatchObject({ sent: 2, failed: 2 });
      expect(refusing.received).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });

  it('should draw the same outcomes from the same seed', async () => {
    const mixed: ScenarioInput = { ...FAST, seed: 42, weights: { human: 1, machine: 1, busy: 1, 'no-answer': 1, failed: 1 } };
    const outcomesOfRun = async (): Promise<string[]> => {
      simulator.reset();
      simulator.setScenario(mixed);
      const sids: string[] = [];
      for (let index = 0; index < 12; index += 1)
        sids.push((await client.calls.create({ to: `+1555123${String(index).padStart(4, '0')}`, from: FROM, twiml: TWIML })).sid);
      const deadline = Date.now() + 2_000;
      while (simulator.stats().calls.dequeued < sids.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const bySid = new Map(simulator.calls().map((call) => [call.sid as string, call.outcome as string]));
      return sids.map((sid) => bySid.get(sid) ?? 'missing');
    };
    const first = await outcomesOfRun();
    const second = await outcomesOfRun();
    expect(second).toEqual(first);
    expect(first).not.toContain('missing');
    expect(new Set(first).size).toBeGreaterThan(2);
  });

  it('should send a text and report it sent, then delivered or undelivered', async () => {
    const undeliverable = '+15551230101';
    simulator.setScenario({ ...FAST, messages: { ...FAST.messages, numbers: { [undeliverable]: { outcome: 'undelivered', errorCode: 30006 } } } });
    const messageCallback = `${receiver.url}/webhooks/sms-status`;
    const delivered = await client.messages.create({
      to: '+15551230100',
      from: FROM,
      body: 'Hi, this is Ana with the alliance.',
      statusCallback: messageCallback,
    });
    expect(delivered.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(delivered).toMatchObject({ status: 'queued', numSegments: '1', direction: 'outbound-api', errorCode: null });
    const unicode = await client.messages.create({ to: undeliverable, from: FROM, body: '¿Votará? 🗳️'.repeat(8), statusCallback: messageCallback });
    expect(unicode.numSegments).toBe('2');

    const final = (sid: string) => (all: readonly ReceivedCallback[]) =>
      all.some((callback) => callback.params.MessageSid === sid && ['delivered', 'undelivered'].includes(callback.params.MessageStatus));
    const received = await receiver.waitFor((all) => final(delivered.sid)(all) && final(unicode.sid)(all));
    const statuses = (sid: string) => received.filter((callback) => callback.params.MessageSid === sid).map((callback) => callback.params.MessageStatus);
    expect(statuses(delivered.sid)).toEqual(['sent', 'delivered']);
    expect(statuses(unicode.sid)).toEqual(['sent', 'undelivered']);
    for (const callback of received) {
      expect(callback.valid).toBe(true);
      expect(callback.params).toMatchObject({
        AccountSid: ACCOUNT_SID,
        From: FROM,
        ApiVersion: '2010-04-01',
        SmsSid: callback.params.MessageSid,
        SmsStatus: callback.params.MessageStatus,
      });
    }
    expect(received.find((callback) => callback.params.MessageStatus === 'undelivered')?.params.ErrorCode).toBe('30006');
    expect(received.find((callback) => callback.params.MessageStatus === 'delivered')?.params.ErrorCode).toBeUndefined();
    expect(await client.messages(unicode.sid).fetch()).toMatchObject({ status: 'undelivered', errorCode: 30006 });
    expect(await restError(client.messages.create({ to: '+15551230100', from: FROM, body: '' }))).toMatchObject({ status: 400, code: 21602 });
  });

  it('should validate scenarios, naming the bad field', async () => {
    const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    const put = (body: unknown) =>
      fetch(`${baseUrl}/sim/scenario`, { method: 'PUT', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const refused = await put({ timings: { ringMs: { human: { min: 50, max: 10 } } } });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { code: number; message: string; status: number; more_info: string };
    expect(body).toMatchObject({ status: 400, code: 20001 });
    expect(body.message).toContain('timings.ringMs.human.max');
    expect(((await (await put({ duplicatRate: 0.1 })).json()) as { message: string }).message).toContain('duplicatRate');
    expect(((await (await put({ numbers: { '+15551230001': { outcome: 'voicemail' } } })).json()) as { message: string }).message).toContain(
      'numbers.+15551230001.outcome',
    );
    expect(() => simulator.setScenario({ weights: { human: 0 } })).toThrow(ScenarioValidationException);

    const accepted = await put({ seed: 9, weights: { busy: 1 }, timings: { connectMs: 3 } });
    expect(accepted.status).toBe(200);
    const current = (await (await fetch(`${baseUrl}/sim/scenario`, { headers: { authorization } })).json()) as ReturnType<CarrierSimulator['scenario']>;
    expect(current).toMatchObject({ seed: 9, weights: { human: 0, busy: 1 }, timings: { connectMs: { min: 3, max: 3 } } });
    expect(current.timings.ringMs.human).toEqual({ min: 3_000, max: 15_000 });
  });

  it('should answer health openly, unknown routes with 404 and unsimulated Twilio routes with 501', async () => {
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    const unknown = await fetch(`${baseUrl}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 20404, status: 404 });
    const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    const list = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, { headers: { authorization } });
    expect(list.status).toBe(501);
    expect(await list.json()).toMatchObject({ code: 20004, status: 501 });
  });
});

describe('carrier simulator outbound queue', () => {
  let simulator: CarrierSimulator;
  let client: twilio.Twilio;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    simulator = createCarrierSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callsPerSecond: 5, scenario: FAST, log: SILENT_LOG });
    client = clientFor((await simulator.listen(0)).url);
    receiver = await startWebhookReceiver(AUTH_TOKEN);
  });

  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  beforeEach(() => {
    simulator.reset();
    receiver.received.length = 0;
  });

  it('should let calls leave the queue at callsPerSecond', async () => {
    const startedAt = Date.now();
    const calls = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        client.calls.create({
          to: `+1555124${String(index).padStart(4, '0')}`,
          from: FROM,
          twiml: TWIML,
          statusCallback: `${receiver.url}/status`,
          statusCallbackEvent: ['initiated'],
        }),
      ),
    );
    const createdWithinMs = Date.now() - startedAt;
    expect(createdWithinMs).toBeLessThan(1_000);
    expect(calls.every((call) => call.status === 'queued')).toBe(true);

    const initiated = (await receiver.waitFor((all) => all.filter((callback) => callback.params.CallStatus === 'initiated').length === 10, 5_000))
      .filter((callback) => callback.params.CallStatus === 'initiated')
      .map((callback) => callback.receivedAt);
    expect(initiated[9] - initiated[0]).toBeGreaterThanOrEqual(1_750);

    const { calls: figures } = simulator.stats();
    expect(figures).toMatchObject({ created: 10, dequeued: 10, queued: 0, callsPerSecond: 5 });
    expect(figures.dequeueSpanMs).toBeGreaterThanOrEqual(1_800);
    expect(figures.achievedCallsPerSecond).toBeGreaterThan(4);
    expect(figures.achievedCallsPerSecond).toBeLessThanOrEqual(5);
    // The last call leaves about 1.8 s after the first; it waited that long less however late its request arrived.
    expect(figures.maxQueueWaitMs).toBeGreaterThanOrEqual(1_750 - createdWithinMs);
  });

  it('should estimate QueueTime from the position in the queue while a call waits, and report the actual wait after', async () => {
    const calls = await Promise.all(
      Array.from({ length: 6 }, (_, index) => client.calls.create({ to: `+1555126${String(index).padStart(4, '0')}`, from: FROM, twiml: TWIML })),
    );
    // One 200 ms interval per call ahead (5 calls a second), less however long apart the requests arrived.
    const estimates = calls.map((call) => Number(call.queueTime)).sort((first, second) => first - second);
    for (let index = 1; index < estimates.length; index += 1) expect(estimates[index] - estimates[index - 1]).toBeGreaterThan(100);
    expect(estimates[5]).toBeGreaterThanOrEqual(700);
    expect(estimates[5]).toBeLessThanOrEqual(1_200);
    const last = calls.find((call) => Number(call.queueTime) === estimates[5])?.sid ?? '';
    expect((await client.calls(last).fetch()).status).toBe('queued');
    const deadline = Date.now() + 3_000;
    while ((await client.calls(last).fetch()).status === 'queued' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const departed = await client.calls(last).fetch();
    // The actual wait now, within a departure interval of the estimate.
    expect(Math.abs(Number(departed.queueTime) - estimates[5])).toBeLessThan(300);
  });

  it('should cancel a call still waiting in the queue', async () => {
    const first = await client.calls.create({ to: '+15551250001', from: FROM, twiml: TWIML, statusCallback: `${receiver.url}/status` });
    const second = await client.calls.create({ to: '+15551250002', from: FROM, twiml: TWIML, statusCallback: `${receiver.url}/status` });
    const canceled = await client.calls(second.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');

    const [callback] = forCall(await receiver.waitFor(hasFinal(second.sid)), second.sid);
    expect(callback.params).toMatchObject({ CallStatus: 'canceled', SequenceNumber: '0' });
    await receiver.waitFor(hasFinal(first.sid));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const snapshot = simulator.calls({ to: '+15551250002' })[0] as { status: string; start_time: unknown; timeline: Array<{ event: string }> };
    expect(snapshot).toMatchObject({ status: 'canceled', start_time: null });
    expect(snapshot.timeline.map((entry) => entry.event)).toEqual(['completed']);
    expect(simulator.stats().calls).toMatchObject({ created: 2, dequeued: 1, canceled: 1 });
  });
});
