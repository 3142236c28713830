import twilio from 'twilio';
import { type CarrierSimulator, createCarrierSimulator } from './carrier-simulator';
import type { ScenarioInput } from './scenario';
import { SILENT_LOG } from './simulator-log';
import { type ReceivedCallback, startWebhookReceiver, type WebhookAnswer, type WebhookReceiver } from './webhook-receiver.fixture';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const FROM = '+15005550006';

/** Quick ring and pick-up; AMD times short but far enough apart to tell them from scheduling noise. */
const QUICK: ScenarioInput = {
  timings: {
    connectMs: 5,
    ringMs: { human: 20, machine: 20, busy: 20, 'no-answer': 30 },
    greetingMs: 600,
    talkMs: { human: null, machine: null },
    maxCallMs: 20_000,
    sayMsPerCharacter: 10,
  },
  amd: { humanGreetingMs: 400, machineVerdictMs: 900 },
};

/** The TwiML the platform answers (libs/telephony call-twiml.builder.ts), written here so that this test does not follow edits there. */
function conferenceTwiml(name: string, leg: 'voter' | 'volunteer'): string {
  const response = new twilio.twiml.VoiceResponse();
  const attributes =
    leg === 'voter'
      ? { startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'false' as const }
      : { startConferenceOnEnter: true, endConferenceOnExit: true, beep: 'false' as const, waitUrl: '' };
  response.dial().conference(attributes, name);
  return response.toString();
}

function sayThenHangUp(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(text);
  response.hangup();
  return response.toString();
}

interface CallSnapshot {
  readonly sid: string;
  readonly status: string;
  readonly outcome: string | null;
  readonly callee: string | null;
  readonly answered_by: string | null;
  readonly url: string | null;
  readonly twiml: string | null;
  readonly pickedUpAt: string | null;
  readonly greetingEndsAt: string | null;
  readonly verdictAt: string | null;
  readonly bridgedAt: string | null;
  readonly bridgedWith: string[];
  readonly talkStartedAt: string | null;
  readonly end_time: string | null;
  readonly timeline: Array<{ event: string; at: string }>;
  readonly callbacks: Array<{ event: string; attempt: number; lost: boolean; sequenceNumber: number | null; sentAt: string | null }>;
  readonly voiceRequests: Array<{
    reason: string;
    url: string;
    params: Record<string, string>;
    sentAt: string;
    respondedAt: string | null;
    latencyMs: number | null;
    status: number | null;
    error: { code: number } | null;
  }>;
  readonly errors: Array<{ code: number; message: string }>;
}

interface ConferenceSnapshot {
  readonly name: string;
  readonly status: string;
  readonly participants: Array<{ callSid: string; kind: string; present: boolean; endConferenceOnExit: boolean; leftAt: string | null }>;
}

const at = (iso: string | null): number => {
  if (iso === null) throw new Error('expected a time');
  return Date.parse(iso);
};

async function until<Value>(read: () => Value | undefined, what: string, timeoutMs = 5_000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('carrier simulator voice: voice requests, TwiML, conferences, browser legs, detection', () => {
  let simulator: CarrierSimulator;
  let client: twilio.Twilio;
  let receiver: WebhookReceiver;
  /** What the receiver answers, by path; anything else gets 200 with no body. */
  let routes: Record<string, WebhookAnswer | ((params: Readonly<Record<string, string>>) => WebhookAnswer)>;
  const url = (path: string): string => `${receiver.url}${path}`;
  const snapshot = (sid: string): CallSnapshot => {
    const found = simulator.calls().find((call) => call.sid === sid) as CallSnapshot | undefined;
    if (!found) throw new Error(`no call ${sid}`);
    return found;
  };
  const ended = (sid: string, timeoutMs?: number): Promise<CallSnapshot> =>
    until(() => (snapshot(sid).end_time === null ? undefined : snapshot(sid)), `call ${sid} to end`, timeoutMs);
  const requestsTo = (path: string): ReceivedCallback[] => receiver.received.filter((request) => request.path === path);

  beforeAll(async () => {
    receiver = await startWebhookReceiver(AUTH_TOKEN, (path, params) => {
      const route = routes[path];
      if (route === undefined) return 200;
      return typeof route === 'function' ? route(params) : route;
    });
    simulator = createCarrierSimulator({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      callsPerSecond: 200,
      scenario: QUICK,
      log: SILENT_LOG,
      clientVoiceUrl: `${receiver.url}/voice?app=phone-bank`,
      clientApplicationSid: `AP${'a'.repeat(32)}`,
    });
    client = twilio(ACCOUNT_SID, AUTH_TOKEN);
    client.api.baseUrl = (await simulator.listen(0)).url;
  });

  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  beforeEach(() => {
    simulator.reset();
    simulator.setScenario(QUICK);
    receiver.received.length = 0;
    routes = {};
  });

  it('should ask the voice Url at the verdict, signed, with AnsweredBy after greeting + SpeechEndThreshold for a human and machineVerdictMs for a machine', async () => {
    const human = '+15551240001';
    const machine = '+15551240002';
    simulator.setScenario({ ...QUICK, numbers: { [human]: { outcome: 'human', greetingMs: 700 }, [machine]: { outcome: 'machine' } } });
    routes['/answer'] = { body: '<Response><Hangup/></Response>', delayMs: 60 };
    const placed = (to: string) =>
      client.calls.create({ to, from: FROM, url: url('/answer?campaign=7'), machineDetection: 'Enable', machineDetectionSpeechEndThreshold: 600 });
    const [humanCall, machineCall] = await Promise.all([placed(human), placed(machine)]);
    await Promise.all([ended(humanCall.sid), ended(machineCall.sid)]);

    const requestOf = (sid: string): ReceivedCallback => {
      const requests = requestsTo('/answer').filter((request) => request.params.CallSid === sid);
      expect(requests).toHaveLength(1);
      return requests[0];
    };
    for (const [sid, to, answeredBy, verdictMs] of [
      [humanCall.sid, human, 'human', 700 + 600],
      [machineCall.sid, machine, 'machine_start', 900],
    ] as const) {
      const request = requestOf(sid);
      expect(request.valid).toBe(true);
      expect(twilio.validateRequest(AUTH_TOKEN, request.signature ?? '', request.url, request.params)).toBe(true);
      expect(twilio.validateRequest(AUTH_TOKEN, request.signature ?? '', request.url, { ...request.params, AnsweredBy: 'fax' })).toBe(false);
      expect(request.url).toBe(url('/answer?campaign=7'));
      expect(request.params).toEqual({
        AccountSid: ACCOUNT_SID,
        AnsweredBy: answeredBy,
        ApiVersion: '2010-04-01',
        CallSid: sid,
        CallStatus: 'in-progress',
        Called: to,
        Caller: FROM,
        Direction: 'outbound-api',
        From: FROM,
        MachineDetectionDuration: String(verdictMs),
        To: to,
      });
      const call = snapshot(sid);
      const pickedUp = at(call.pickedUpAt);
      expect(at(call.verdictAt) - pickedUp).toBeGreaterThanOrEqual(verdictMs);
      expect(request.receivedAt - pickedUp).toBeGreaterThanOrEqual(verdictMs);
      // Late only by timer and loop delays, not by another phase.
      expect(request.receivedAt - pickedUp).toBeLessThan(verdictMs + 400);
      expect(call.voiceRequests).toHaveLength(1);
      expect(call.voiceRequests[0]).toMatchObject({ reason: 'answer', status: 200, error: null });
      expect(call.voiceRequests[0].latencyMs).toBeGreaterThanOrEqual(60);
      expect(call.answered_by).toBe(answeredBy);
    }
    const humanSnapshot = snapshot(humanCall.sid);
    expect(at(humanSnapshot.greetingEndsAt) - at(humanSnapshot.pickedUpAt)).toBe(700);
    expect(humanSnapshot.callee).toBe('human');
    expect(snapshot(machineCall.sid).callee).toBe('machine');
    expect(simulator.stats().voiceRequests).toEqual({ sent: 2, failed: 0 });
  });

  it('should ask the voice Url at pick-up without detection, and with AsyncAmd post the verdict to AsyncAmdStatusCallback later', async () => {
    const plain = '+15551240011';
    const asynchronous = '+15551240012';
    simulator.setScenario({ ...QUICK, numbers: { [plain]: { outcome: 'human' }, [asynchronous]: { outcome: 'machine' } } });
    routes['/answer'] = { body: '<Response><Pause length="3"/></Response>' };
    const plainCall = await client.calls.create({ to: plain, from: FROM, url: url('/answer') });
    const asyncCall = await client.calls.create({
      to: asynchronous,
      from: FROM,
      url: url('/answer'),
      machineDetection: 'Enable',
      asyncAmd: 'true',
      asyncAmdStatusCallback: url('/amd?line=4'),
      statusCallback: url('/status'),
      statusCallbackEvent: ['answered'],
    });
    const [amdResult] = await receiver.waitFor((all) => all.some((request) => request.path === '/amd')).then(() => requestsTo('/amd'));

    const voiceRequest = (sid: string) => requestsTo('/answer').find((request) => request.params.CallSid === sid);
    for (const sid of [plainCall.sid, asyncCall.sid]) {
      const request = voiceRequest(sid);
      expect(request?.params.AnsweredBy).toBeUndefined();
      expect(request?.params.MachineDetectionDuration).toBeUndefined();
      // Asked at pick-up: only scheduling noise between them.
      expect((request?.receivedAt ?? Infinity) - at(snapshot(sid).pickedUpAt)).toBeLessThan(300);
    }
    expect(amdResult.valid).toBe(true);
    expect(amdResult.url).toBe(url('/amd?line=4'));
    expect(amdResult.params).toEqual({ AccountSid: ACCOUNT_SID, AnsweredBy: 'machine_start', CallSid: asyncCall.sid, MachineDetectionDuration: '900' });
    const asyncSnapshot = snapshot(asyncCall.sid);
    expect(amdResult.receivedAt - at(asyncSnapshot.pickedUpAt)).toBeGreaterThanOrEqual(900);
    expect(at(asyncSnapshot.verdictAt) - at(asyncSnapshot.pickedUpAt)).toBeGreaterThanOrEqual(900);
    // The answered callback went at pick-up, before the verdict existed.
    const answered = requestsTo('/status').find((request) => request.params.CallSid === asyncCall.sid);
    expect(answered?.params.AnsweredBy).toBeUndefined();
    expect((answered?.receivedAt ?? Infinity) < amdResult.receivedAt).toBe(true);
  });

  it('should bridge a voter into the conference of a connected browser leg, and end the voter when the volunteer leaves (endConferenceOnExit)', async () => {
    const voter = '+15551240021';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human' } } });
    routes['/voice'] = (params) => ({ body: conferenceTwiml(params.From.replace('client:', ''), 'volunteer') });
    routes['/answer'] = { body: conferenceTwiml('session-1', 'voter'), delayMs: 40 };

    const volunteer = (await simulator.connectClient('session-1', { Campaign: 'c-7' })) as unknown as CallSnapshot & { direction: string };
    expect(volunteer).toMatchObject({ status: 'in-progress', direction: 'inbound' });
    const [voiceRequest] = requestsTo('/voice');
    expect(voiceRequest.valid).toBe(true);
    expect(voiceRequest.url).toBe(url('/voice?app=phone-bank'));
    expect(voiceRequest.params).toMatchObject({
      From: 'client:session-1',
      Caller: 'client:session-1',
      Direction: 'inbound',
      CallStatus: 'ringing',
      ApplicationSid: `AP${'a'.repeat(32)}`,
      Campaign: 'c-7',
    });

    const call = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), machineDetection: 'Enable' });
    const bridged = await until(() => (snapshot(call.sid).bridgedAt === null ? undefined : snapshot(call.sid)), 'the voter to be bridged');
    expect(bridged.bridgedWith).toEqual([volunteer.sid]);
    expect(snapshot(volunteer.sid).bridgedWith).toEqual([call.sid]);
    // Bridged as soon as the TwiML came back: the verdict, then the voice request's answer.
    expect(at(bridged.bridgedAt) - at(bridged.verdictAt)).toBeGreaterThanOrEqual(40);
    const [conference] = simulator.conferences() as unknown as ConferenceSnapshot[];
    expect(conference).toMatchObject({ name: 'session-1', status: 'in-progress' });
    expect(conference.participants.map(({ callSid, kind, present, endConferenceOnExit }) => ({ callSid, kind, present, endConferenceOnExit }))).toEqual([
      { callSid: volunteer.sid, kind: 'client', present: true, endConferenceOnExit: true },
      { callSid: call.sid, kind: 'pstn', present: true, endConferenceOnExit: false },
    ]);

    simulator.hangUpClient('session-1');
    const voterEnded = await ended(call.sid);
    expect(voterEnded.status).toBe('completed');
    expect(voterEnded.timeline.map((entry) => entry.event)).toEqual([
      'initiated',
      'ringing',
      'picked-up',
      'verdict',
      'answered',
      'bridged',
      'left-conference',
      'completed',
    ]);
    const [closed] = simulator.conferences() as unknown as ConferenceSnapshot[];
    expect(closed.status).toBe('completed');
    expect(closed.participants.every((participant) => !participant.present)).toBe(true);
    expect(() => simulator.hangUpClient('session-1')).toThrow('No browser leg');
  });

  it('should play <Say> then <Hangup/> to a voter nobody takes: the call ends after the message, bridged to no one', async () => {
    const voter = '+15551240031';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human', talkMs: 5_000 } } });
    const message = 'Sorry, we will call back.'; // 25 characters at 10 ms each
    routes['/answer'] = { body: sayThenHangUp(message) };
    const call = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), machineDetection: 'Enable' });
    const done = await ended(call.sid);
    expect(done.status).toBe('completed');
    expect(done.bridgedWith).toEqual([]);
    expect(done.bridgedAt).toBeNull();
    const answeredAt = at(done.voiceRequests[0].respondedAt);
    const saidFor = at(done.end_time === null ? null : new Date(done.end_time).toISOString()) - answeredAt;
    // end_time is whole seconds; the timeline has the milliseconds.
    const completedAt = at(done.timeline.at(-1)?.at ?? null);
    expect(completedAt - answeredAt).toBeGreaterThanOrEqual(250);
    expect(completedAt - answeredAt).toBeLessThan(1_000);
    expect(saidFor).toBeLessThan(2_000);
    expect(simulator.conferences()).toEqual([]);
  });

  it('should count a voter’s talk time from the bridge or from the start of a <Say>, not from the answer', async () => {
    const bridgedVoter = '+15551240041';
    const listeningVoter = '+15551240042';
    simulator.setScenario({
      ...QUICK,
      numbers: { [bridgedVoter]: { outcome: 'human', talkMs: 500 }, [listeningVoter]: { outcome: 'human', talkMs: 300 } },
    });
    routes['/voice'] = { body: conferenceTwiml('session-2', 'volunteer') };
    routes['/bridge'] = { body: conferenceTwiml('session-2', 'voter'), delayMs: 200 };
    routes['/message'] = { body: sayThenHangUp('x'.repeat(200)) }; // two seconds of speech
    await simulator.connectClient('session-2');
    const bridged = await client.calls.create({ to: bridgedVoter, from: FROM, url: url('/bridge'), machineDetection: 'Enable' });
    const listening = await client.calls.create({ to: listeningVoter, from: FROM, url: url('/message'), machineDetection: 'Enable' });
    const [bridgedEnd, listeningEnd] = await Promise.all([ended(bridged.sid), ended(listening.sid)]);
    const endOf = (call: CallSnapshot): number => at(call.timeline.at(-1)?.at ?? null);

    // Bridged 400 + 1200 ms (verdict) + 200 ms (TwiML) after pick-up; 500 ms of talk from then.
    expect(endOf(bridgedEnd) - at(bridgedEnd.bridgedAt)).toBeGreaterThanOrEqual(500);
    expect(endOf(bridgedEnd) - at(bridgedEnd.bridgedAt)).toBeLessThan(900);
    expect(endOf(bridgedEnd) - at(bridgedEnd.pickedUpAt)).toBeGreaterThanOrEqual(1_600 + 200 + 500);
    // Hung up 300 ms into a two-second message.
    expect(at(listeningEnd.talkStartedAt)).toBeGreaterThanOrEqual(at(listeningEnd.voiceRequests[0].respondedAt));
    expect(endOf(listeningEnd) - at(listeningEnd.talkStartedAt)).toBeGreaterThanOrEqual(300);
    expect(endOf(listeningEnd) - at(listeningEnd.talkStartedAt)).toBeLessThan(1_000);
    simulator.hangUpClient('session-2');
  });

  it('should start the talk clock over when a voter waiting alone in the conference is bridged', async () => {
    const voter = '+15551240043';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human', talkMs: 600 } } });
    routes['/voice'] = { body: conferenceTwiml('session-3', 'volunteer') };
    routes['/join'] = { body: conferenceTwiml('session-3', 'voter') };
    const call = await client.calls.create({ to: voter, from: FROM, url: url('/join') });
    const waiting = await until(() => (snapshot(call.sid).talkStartedAt === null ? undefined : snapshot(call.sid)), 'the voter to join alone');
    expect(waiting.bridgedWith).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const volunteer = await simulator.connectClient('session-3');
    const done = await ended(call.sid);
    const endOf = at(done.timeline.at(-1)?.at ?? null);
    expect(done.bridgedWith).toEqual([volunteer.sid]);
    expect(endOf - at(done.bridgedAt)).toBeGreaterThanOrEqual(600);
    expect(endOf - at(waiting.talkStartedAt)).toBeGreaterThanOrEqual(1_000);
    simulator.hangUpClient('session-3');
  });

  it('should interrupt the current verb on a REST update, follow <Redirect>, and keep Url over Twiml at create', async () => {
    const voter = '+15551240051';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human' } } });
    routes['/answer'] = { body: '<Response><Pause length="30"/></Response>' };
    routes['/moved'] = { body: '<Response><Say>One moment</Say><Redirect method="GET">next?step=2</Redirect></Response>' };
    routes['/next'] = { body: '<Response><Hangup/></Response>' };
    // Twilio ignores Twiml when Url is given too.
    const call = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), twiml: '<Response><Hangup/></Response>' });
    expect(snapshot(call.sid)).toMatchObject({ url: url('/answer'), twiml: null });
    await receiver.waitFor(() => requestsTo('/answer').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(snapshot(call.sid).status).toBe('in-progress');

    const updatedAt = Date.now();
    await client.calls(call.sid).update({ url: url('/moved'), method: 'POST' });
    const done = await ended(call.sid);
    expect(at(done.timeline.at(-1)?.at ?? null) - updatedAt).toBeLessThan(2_000);
    expect(done.voiceRequests.map((request) => [request.reason, new URL(request.url).pathname])).toEqual([
      ['answer', '/answer'],
      ['update', '/moved'],
      ['redirect', '/next'],
    ]);
    const [redirected] = requestsTo('/next');
    expect(redirected.method).toBe('GET');
    expect(redirected.valid).toBe(true);
    expect(redirected.params).toMatchObject({ step: '2', CallSid: call.sid, CallStatus: 'in-progress' });
  });

  it('should ask the FallbackUrl when the Url fails, and end the call with an error when TwiML cannot be read', async () => {
    const rescued = '+15551240061';
    const broken = '+15551240062';
    simulator.setScenario({ ...QUICK, numbers: { [rescued]: { outcome: 'human', talkMs: null }, [broken]: { outcome: 'human', talkMs: null } } });
    routes['/down'] = { status: 500 };
    routes['/fallback'] = { body: sayThenHangUp('Goodbye') };
    routes['/garbled'] = { body: '<Response><Say>unclosed</Response>' };
    const rescuedCall = await client.calls.create({ to: rescued, from: FROM, url: url('/down'), fallbackUrl: url('/fallback') });
    const brokenCall = await client.calls.create({ to: broken, from: FROM, url: url('/garbled') });
    const [rescuedEnd, brokenEnd] = await Promise.all([ended(rescuedCall.sid), ended(brokenCall.sid)]);

    expect(rescuedEnd.voiceRequests.map((request) => [request.reason, request.status, request.error?.code ?? null])).toEqual([
      ['answer', 500, 11200],
      ['fallback', 200, null],
    ]);
    const [fallbackRequest] = requestsTo('/fallback');
    expect(fallbackRequest.valid).toBe(true);
    expect(fallbackRequest.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: url('/down'), CallSid: rescuedCall.sid });
    expect(rescuedEnd.errors.map((error) => error.code)).toEqual([11200]);
    expect(rescuedEnd.status).toBe('completed');

    expect(brokenEnd.status).toBe('completed');
    expect(brokenEnd.errors.map((error) => error.code)).toEqual([12100]);
    // Ended at once, not left open until maxCallMs.
    expect(at(brokenEnd.timeline.at(-1)?.at ?? null) - at(brokenEnd.voiceRequests[0].respondedAt)).toBeLessThan(500);
    expect(simulator.stats().voiceRequests).toEqual({ sent: 3, failed: 1 });
  });

  it('should report fax, unknown and misread callees as overrides and rates say, each at its own time', async () => {
    const numbers = {
      misreadHuman: '+15551240071',
      longGreeting: '+15551240072',
      fax: '+15551240073',
      silent: '+15551240074',
      misreadMachine: '+15551240075',
    };
    simulator.setScenario({
      ...QUICK,
      numbers: {
        [numbers.misreadHuman]: { outcome: 'human', answeredBy: 'machine_start' },
        // Speech longer than MachineDetectionSpeechThreshold (default 2400 ms) is a machine to Twilio.
        [numbers.longGreeting]: { outcome: 'human', greetingMs: 2_600 },
        [numbers.fax]: { outcome: 'machine', answeredBy: 'fax' },
        [numbers.silent]: { outcome: 'human', answeredBy: 'unknown' },
        [numbers.misreadMachine]: { outcome: 'machine', answeredBy: 'human', greetingMs: 300 },
      },
    });
    routes['/answer'] = { body: '<Response><Hangup/></Response>' };
    const calls = await Promise.all(
      Object.values(numbers).map((to) =>
        client.calls.create({ to, from: FROM, url: url('/answer'), machineDetection: 'Enable', machineDetectionSilenceTimeout: 2_000 }),
      ),
    );
    const done = await Promise.all(calls.map((call) => ended(call.sid, 8_000)));
    const verdicts = done.map((call) => ({
      callee: call.callee,
      answeredBy: call.voiceRequests[0].params.AnsweredBy,
      duration: Number(call.voiceRequests[0].params.MachineDetectionDuration),
    }));
    expect(verdicts).toEqual([
      { callee: 'human', answeredBy: 'machine_start', duration: 900 },
      { callee: 'human', answeredBy: 'machine_start', duration: 900 },
      { callee: 'machine', answeredBy: 'fax', duration: 900 },
      { callee: 'human', answeredBy: 'unknown', duration: 2_000 },
      { callee: 'machine', answeredBy: 'human', duration: 400 + 1_200 },
    ]);
    for (const call of done)
      expect(at(call.verdictAt) - at(call.pickedUpAt)).toBeGreaterThanOrEqual(Number(call.voiceRequests[0].params.MachineDetectionDuration));

    // Drawn rather than fixed: every machine a fax, every human misread.
    simulator.setScenario({ ...QUICK, weights: { machine: 1 }, amd: { ...QUICK.amd, faxRate: 1 } });
    const fax = await client.calls.create({ to: '+15551240076', from: FROM, url: url('/answer'), machineDetection: 'DetectMessageEnd' });
    expect((await ended(fax.sid)).voiceRequests[0].params.AnsweredBy).toBe('fax');
    expect(snapshot(fax.sid).callee).toBe('fax');
    simulator.setScenario({ ...QUICK, weights: { human: 1 }, amd: { ...QUICK.amd, humanAsMachine: 1 } });
    const misread = await client.calls.create({ to: '+15551240077', from: FROM, url: url('/answer'), machineDetection: 'DetectMessageEnd' });
    expect((await ended(misread.sid)).voiceRequests[0].params.AnsweredBy).toBe('machine_end_silence');
  });

  it('should send the answered callback at pick-up when the scenario says so, before the verdict', async () => {
    const voter = '+15551240081';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human' } }, amd: { ...QUICK.amd, answeredEvent: 'pickup' } });
    routes['/answer'] = { body: '<Response><Hangup/></Response>' };
    const call = await client.calls.create({
      to: voter,
      from: FROM,
      url: url('/answer'),
      machineDetection: 'Enable',
      statusCallback: url('/status'),
      statusCallbackEvent: ['answered', 'completed'],
    });
    await ended(call.sid);
    const statuses = await receiver.waitFor((all) => all.filter((request) => request.path === '/status').length === 2);
    const [answered, completed] = statuses.filter((request) => request.path === '/status');
    expect(answered.params).toMatchObject({ CallStatus: 'in-progress', SequenceNumber: '0' });
    expect(answered.params.AnsweredBy).toBeUndefined();
    expect(completed.params.AnsweredBy).toBe('human');
    const [voiceRequest] = requestsTo('/answer');
    expect(voiceRequest.receivedAt - answered.receivedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('should delay callbacks in order and retry a lost one once, never touching voice requests', async () => {
    const voter = '+15551240091';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human', talkMs: 100 } }, callbackDelayMs: 300 });
    routes['/answer'] = { body: '<Response><Pause length="5"/></Response>' };
    const events = ['initiated', 'ringing', 'answered', 'completed'];
    const delayed = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), statusCallback: url('/status'), statusCallbackEvent: events });
    const delayedCallbacks = (await receiver.waitFor((all) => all.filter((request) => request.path === '/status').length === 4)).filter(
      (request) => request.path === '/status',
    );
    expect(delayedCallbacks.map((request) => request.params.SequenceNumber)).toEqual(['0', '1', '2', '3']);
    const timeline = snapshot(delayed.sid).timeline.filter((entry) => events.includes(entry.event) || entry.event === 'completed');
    const eventTimes = new Map(timeline.map((entry) => [entry.event === 'answered' ? 'in-progress' : entry.event, at(entry.at)]));
    for (const callback of delayedCallbacks) {
      const emittedAt = eventTimes.get(callback.params.CallStatus) ?? NaN;
      expect(callback.receivedAt - emittedAt).toBeGreaterThanOrEqual(300);
    }
    const [voiceRequest] = requestsTo('/answer');
    expect(voiceRequest.receivedAt - at(snapshot(delayed.sid).pickedUpAt)).toBeLessThan(250);

    receiver.received.length = 0;
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'busy' } }, lossRate: 1, retryMs: 400 });
    const lost = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), statusCallback: url('/status') });
    const [retried] = (await receiver.waitFor((all) => all.some((request) => request.path === '/status'))).filter((request) => request.path === '/status');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(requestsTo('/status')).toHaveLength(1);
    expect(retried.params).toMatchObject({ CallStatus: 'busy', SequenceNumber: '0' });
    expect(retried.valid).toBe(true);
    const attempts = snapshot(lost.sid).callbacks;
    expect(attempts.map(({ attempt, lost: wasLost }) => ({ attempt, lost: wasLost }))).toEqual([
      { attempt: 1, lost: true },
      { attempt: 2, lost: false },
    ]);
    expect(retried.receivedAt - at(attempts[0].sentAt)).toBeGreaterThanOrEqual(400);
    // Four delayed callbacks of the first call, then the one retry.
    expect(simulator.stats().callbacks).toMatchObject({ lost: 1, retried: 1, sent: 5, failed: 0 });
  });

  it('should ring past Timeout by the scenario’s buffer', async () => {
    const voter = '+15551240101';
    simulator.setScenario({ ...QUICK, numbers: { [voter]: { outcome: 'human', ringMs: 5_000 } }, timings: { ...QUICK.timings, timeoutBufferMs: 600 } });
    const call = await client.calls.create({ to: voter, from: FROM, url: url('/answer'), timeout: 1 });
    const done = await ended(call.sid);
    expect(done.status).toBe('no-answer');
    const rang = at(done.timeline.at(-1)?.at ?? null) - at(done.timeline.find((entry) => entry.event === 'ringing')?.at ?? null);
    expect(rang).toBeGreaterThanOrEqual(1_600);
    expect(rang).toBeLessThan(2_300);
  });
});
