import twilio from 'twilio';
import { type CarrierSimulator, createCarrierSimulator } from './carrier-simulator';
import { AUTO_REPLY_BODIES } from './inbound-message.service';
import type { ScenarioInput } from './scenario';
import { SILENT_LOG } from './simulator-log';
import { type ReceivedCallback, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.fixture';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const FROM = '+15005550006';
const OTHER_FROM = '+15005550007';
const VOTER = '+15551230100';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const FAST: ScenarioInput = { messages: { sentMs: 10, deliveredMs: 20 } };

interface RestFailure {
  status: number;
  code: number;
  message: string;
  moreInfo: string | undefined;
}

async function restError(promise: Promise<unknown>): Promise<RestFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(twilio.RestException);
    const { status, code, message, moreInfo } = error as twilio.RestException;
    return { status, code: code ?? -1, message, moreInfo };
  }
  throw new Error('expected the request to fail');
}

describe('carrier simulator texting (driven by the twilio SDK)', () => {
  let simulator: CarrierSimulator;
  let baseUrl: string;
  let client: twilio.Twilio;
  let receiver: WebhookReceiver;
  const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  const smsUrl = (): string => `${receiver.url}/webhooks/twilio/sms?alliance=3`;
  const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const inbound = (body: string, fields: Record<string, unknown> = {}) =>
    control('POST', '/sim/inbound', { from: VOTER, to: FROM, body, url: smsUrl(), ...fields });
  const send = (fields: { to?: string; from?: string; messagingServiceSid?: string; body?: string; validityPeriod?: number; statusCallback?: string } = {}) =>
    client.messages.create({ to: VOTER, body: 'Can we count on your vote?', ...(fields.messagingServiceSid ? {} : { from: FROM }), ...fields });

  beforeAll(async () => {
    simulator = createCarrierSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callsPerSecond: 50, scenario: FAST, log: SILENT_LOG });
    baseUrl = (await simulator.listen(0)).url;
    client = twilio(ACCOUNT_SID, AUTH_TOKEN);
    client.api.baseUrl = baseUrl;
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

  it('should refuse texts past a sender cap with 429 20429, create nothing for them and count them per sender', async () => {
    // Half a text a second: one token, the next in 2 s, so the test's timing cannot refill the bucket.
    simulator.setScenario({ messages: { ...FAST.messages, maxPerSecondPerSender: 0.5, senderCaps: { [SERVICE]: 2, [OTHER_FROM]: null } } });
    const results = await Promise.allSettled([send(), send(), send(), send()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused).toHaveLength(3);
    expect(await restError(Promise.reject(refused[0].reason))).toEqual({
      status: 429,
      code: 20429,
      message: 'Too Many Requests',
      moreInfo: 'https://www.twilio.com/docs/errors/20429',
    });
    const raw = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: VOTER, From: FROM, Body: 'again' }).toString(),
    });
    expect(raw.status).toBe(429);
    expect(await raw.json()).toEqual({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });

    // The Messaging Service has its own cap (2); an uncapped sender is never refused.
    const viaService = await Promise.allSettled([1, 2, 3].map(() => send({ messagingServiceSid: SERVICE })));
    expect(viaService.map((result) => result.status)).toEqual(expect.arrayContaining(['fulfilled', 'fulfilled', 'rejected']));
    await Promise.all(Array.from({ length: 10 }, () => send({ from: OTHER_FROM })));

    expect(simulator.messages()).toHaveLength(1 + 2 + 10);
    const { messages } = simulator.stats();
    expect(messages).toMatchObject({ created: 13, rateLimited: 5, accountCapPerSecond: null });
    expect(messages.maxAcceptedPerSecond).toBeGreaterThanOrEqual(10);
    expect(messages.senders).toEqual({
      [FROM]: { accepted: 1, rateLimited: 4, maxAcceptedPerSecond: 1, capPerSecond: 0.5 },
      [SERVICE]: { accepted: 2, rateLimited: 1, maxAcceptedPerSecond: 2, capPerSecond: 2 },
      [OTHER_FROM]: { accepted: 10, rateLimited: 0, maxAcceptedPerSecond: 10, capPerSecond: null },
    });
  });

  it('should cap the whole account across senders, set at run time through PUT /sim/scenario', async () => {
    const put = await control('PUT', '/sim/scenario', { messages: { ...FAST.messages, maxPerSecondPerAccount: 0.5 } });
    expect(put.status).toBe(200);
    expect((put.body.messages as Record<string, unknown>).maxPerSecondPerAccount).toBe(0.5);
    await send();
    expect(await restError(send({ from: OTHER_FROM }))).toMatchObject({ status: 429, code: 20429 });
    const stats = await control('GET', '/sim/stats');
    expect(stats.body.messages).toMatchObject({ created: 1, rateLimited: 1, accountCapPerSecond: 0.5 });
    expect((await control('PUT', '/sim/scenario', { messages: { maxPerSecondPerAccount: 0 } })).body.message).toContain('messages.maxPerSecondPerAccount');
  });

  it('should block a sender and recipient pair after STOP, answer 21610, reply as Twilio does, and lift the block on START', async () => {
    const stop = await inbound('  Stop. ');
    expect(stop.status).toBe(201);
    expect(stop.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(stop.body.webhook).toEqual({ status: 200, ms: expect.any(Number) });

    // Twilio blocks at once: the webhook has answered, and the next send is already refused.
    expect(await restError(send())).toMatchObject({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await send({ from: OTHER_FROM });
    expect(simulator.optOuts()).toEqual([{ sender: FROM, recipient: VOTER, since: expect.any(String) }]);

    // HELP changes nothing, and gets no answer while the pair is blocked.
    await inbound('help');
    expect(await restError(send())).toMatchObject({ code: 21610 });
    await inbound('STOP PLEASE');
    await inbound('unstop');
    await send();
    await inbound('INFO');

    const snapshots = simulator.messages();
    expect(snapshots.map((message) => [message.direction, message.from, message.to, message.body])).toEqual([
      ['inbound', VOTER, FROM, '  Stop. '],
      ['outbound-reply', FROM, VOTER, AUTO_REPLY_BODIES['opt-out']],
      ['outbound-api', OTHER_FROM, VOTER, 'Can we count on your vote?'],
      ['inbound', VOTER, FROM, 'help'],
      ['inbound', VOTER, FROM, 'STOP PLEASE'],
      ['inbound', VOTER, FROM, 'unstop'],
      ['outbound-reply', FROM, VOTER, AUTO_REPLY_BODIES['opt-in']],
      ['outbound-api', FROM, VOTER, 'Can we count on your vote?'],
      ['inbound', VOTER, FROM, 'INFO'],
      ['outbound-reply', FROM, VOTER, AUTO_REPLY_BODIES.help],
    ]);
    expect(snapshots[0]).toMatchObject({ status: 'received', webhook: { status: 200 }, callbacks: [] });
    expect(snapshots[1]).toMatchObject({ status: 'delivered', status_callback: null, callbacks: [] });
    expect(simulator.stats().messages).toMatchObject({ received: 5, autoReplies: 3, optedOut: 2, created: 2, inboundWebhooks: { sent: 5, failed: 0 } });
  });

  it('should opt a recipient out of a whole Messaging Service, and leave replies out when autoReplies is false', async () => {
    simulator.setScenario({ messages: { ...FAST.messages, autoReplies: false } });
    await inbound('END', { messagingServiceSid: SERVICE });
    expect(await restError(send({ messagingServiceSid: SERVICE }))).toMatchObject({ status: 400, code: 21610 });
    expect(await restError(send({ from: FROM }))).toMatchObject({ status: 400, code: 21610 });
    expect(await restError(client.messages.create({ to: VOTER, from: OTHER_FROM, messagingServiceSid: SERVICE, body: 'Hi' }))).toMatchObject({ code: 21610 });
    await send({ from: OTHER_FROM });
    expect(simulator.messages().map((message) => message.direction)).toEqual(['inbound', 'outbound-api']);
    expect(simulator.stats().messages.autoReplies).toBe(0);
    await inbound('start', { messagingServiceSid: SERVICE });
    await send({ messagingServiceSid: SERVICE });
  });

  it('should post inbound texts signed, with the parameters Twilio sends, and report the webhook answer', async () => {
    const stop = await inbound('Hola, ¿quién es? 🗳️', { messagingServiceSid: SERVICE });
    const [webhook] = await receiver.waitFor((all) => all.length === 1);
    expect(webhook).toMatchObject({ method: 'POST', path: '/webhooks/twilio/sms', contentType: 'application/x-www-form-urlencoded', valid: true });
    expect(webhook.params).toEqual({
      MessageSid: stop.body.sid,
      SmsSid: stop.body.sid,
      SmsMessageSid: stop.body.sid,
      AccountSid: ACCOUNT_SID,
      MessagingServiceSid: SERVICE,
      From: VOTER,
      To: FROM,
      Body: 'Hola, ¿quién es? 🗳️',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    });

    // The scenario's inboundUrl serves when the request names none.
    simulator.setScenario({ messages: { ...FAST.messages, inboundUrl: `${receiver.url}/scenario-sms` } });
    expect((await control('POST', '/sim/inbound', { from: VOTER, to: FROM, body: 'yes' })).status).toBe(201);
    expect(receiver.received.at(-1)?.path).toBe('/scenario-sms');

    const unreachable = await inbound('hello', { url: 'http://127.0.0.1:1/sms' });
    expect(unreachable.status).toBe(201);
    expect(unreachable.body.webhook).toEqual({ status: 0, ms: expect.any(Number), error: expect.any(String) });
    expect(simulator.stats().messages.inboundWebhooks).toEqual({ sent: 3, failed: 1 });
  });

  it('should refuse a bad inbound text, naming the field, and ask for a URL when there is none', async () => {
    const refusal = async (body: unknown): Promise<string> => {
      const reply = await control('POST', '/sim/inbound', body);
      expect(reply.status).toBe(400);
      return String(reply.body.message);
    };
    expect(await refusal({ from: '5551230100', to: FROM, body: 'hi', url: smsUrl() })).toContain('from');
    expect(await refusal({ from: VOTER, to: 'us', body: 'hi', url: smsUrl() })).toContain('to');
    expect(await refusal({ from: VOTER, to: FROM, body: '  ', url: smsUrl() })).toContain('body');
    expect(await refusal({ from: VOTER, to: FROM, body: 'hi', url: 'nowhere' })).toContain('url');
    expect(await refusal({ from: VOTER, to: FROM, body: 'hi', messagingServiceSid: 'MG1' })).toContain('messagingServiceSid');
    expect(await refusal({ from: VOTER, to: FROM, body: 'hi' })).toContain('url');
    expect((await fetch(`${baseUrl}/sim/inbound`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect(simulator.messages()).toHaveLength(0);
  });

  it('should refuse numbers the scenario marks with a createError, and fail transiently at serverErrorRate', async () => {
    const invalid = '+15551230004';
    const landline = '+15551230005';
    const region = '+15551230006';
    simulator.setScenario({
      messages: { ...FAST.messages, numbers: { [invalid]: { createError: 21211 }, [landline]: { createError: 21614 }, [region]: { createError: 21408 } } },
    });
    expect(await restError(send({ to: invalid }))).toMatchObject({ status: 400, code: 21211, message: "Invalid 'To' Phone Number" });
    expect(await restError(send({ to: landline }))).toMatchObject({ status: 400, code: 21614, message: "'To' number is not a valid mobile number" });
    expect(await restError(send({ to: region }))).toMatchObject({ status: 400, code: 21408 });
    await send();
    expect(simulator.messages()).toHaveLength(1);

    simulator.setScenario({ seed: 5, messages: { ...FAST.messages, serverErrorRate: 0.5 } });
    // One after the other: the draws follow the order requests arrive in.
    const outcomes = async (): Promise<string[]> => {
      const seen: string[] = [];
      for (let attempt = 0; attempt < 20; attempt += 1)
        seen.push(
          await send().then(
            () => 'created',
            async (error: unknown) => String((await restError(Promise.reject(error))).code),
          ),
        );
      return seen;
    };
    const first = await outcomes();
    expect(first).toContain('20500');
    expect(first).toContain('created');
    expect(simulator.stats().messages).toMatchObject({ createErrors: 3, serverErrors: first.filter((outcome) => outcome === '20500').length });
    simulator.reset();
    expect(await outcomes()).toEqual(first);
  });

  it('should list inbound and outbound texts through the SDK, newest first, filtered and paged', async () => {
    const first = await send({ body: 'one' });
    const second = await send({ body: 'two', from: OTHER_FROM });
    const elsewhere = await send({ body: 'three', to: '+15551230200' });
    const reply = await inbound('Who is this?');

    const toVoter = await client.messages.list({ to: VOTER, limit: 10 });
    expect(toVoter.map((message) => message.sid)).toEqual([second.sid, first.sid]);
    const fromVoter = await client.messages.list({ from: VOTER });
    expect(fromVoter.map((message) => [message.sid, message.direction, message.status, message.body])).toEqual([
      [reply.body.sid, 'inbound', 'received', 'Who is this?'],
    ]);
    expect(fromVoter[0].dateSent).toBeInstanceOf(Date);

    const everything = await client.messages.list({ pageSize: 2 });
    expect(everything.map((message) => message.sid)).toEqual([reply.body.sid, elsewhere.sid, second.sid, first.sid]);
    expect((await client.messages.list({ limit: 3 })).map((message) => message.sid)).toEqual([reply.body.sid, elsewhere.sid, second.sid]);

    const page = await client.messages.page({ pageSize: 3 });
    expect(page.instances.map((message) => message.sid)).toEqual([reply.body.sid, elsewhere.sid, second.sid]);
    const next = await page.nextPage();
    expect(next?.instances.map((message) => message.sid)).toEqual([first.sid]);
    expect(await next?.nextPage()).toBeUndefined();
    const back = await next?.previousPage();
    expect(back?.instances.map((message) => message.sid)).toEqual([reply.body.sid, elsewhere.sid, second.sid]);

    const today = new Date(new Date().toISOString().slice(0, 10));
    expect((await client.messages.list({ from: VOTER, dateSentAfter: today })).map((message) => message.sid)).toEqual([reply.body.sid]);
    const raw = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?DateSent=2001-01-01`, { headers: { authorization } });
    expect(await raw.json()).toMatchObject({ messages: [], page: 0, page_size: 50, start: 0, next_page_uri: null, previous_page_uri: null });
  });

  it('should refuse an invalid ValidityPeriod with 21624 and fail a text whose queue wait outlasts it', async () => {
    for (const validityPeriod of [0, 36_001]) {
      const refused = await restError(send({ validityPeriod }));
      expect(refused).toMatchObject({ status: 400, code: 21624 });
      expect(refused.message).toContain('ValidityPeriod');
    }
    const bad = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: VOTER, From: FROM, Body: 'hi', ValidityPeriod: '1.5' }).toString(),
    });
    expect(await bad.json()).toMatchObject({ status: 400, code: 21624 });

    simulator.setScenario({ messages: { ...FAST.messages, queueDelayMs: 1_200 } });
    const statusCallback = `${receiver.url}/webhooks/sms-status`;
    const startedAt = Date.now();
    const expiring = await send({ validityPeriod: 1, statusCallback });
    const waiting = await send({ validityPeriod: 2, statusCallback, to: '+15551230101' });
    const settled = (sid: string) => (all: readonly ReceivedCallback[]) =>
      all.some((callback) => callback.params.MessageSid === sid && ['delivered', 'failed'].includes(callback.params.MessageStatus));
    const received = await receiver.waitFor((all) => settled(expiring.sid)(all) && settled(waiting.sid)(all));
    const forMessage = (sid: string) => received.filter((callback) => callback.params.MessageSid === sid);
    expect(forMessage(expiring.sid).map((callback) => [callback.params.MessageStatus, callback.params.ErrorCode])).toEqual([['failed', '30036']]);
    expect(forMessage(expiring.sid)[0].receivedAt - startedAt).toBeGreaterThanOrEqual(1_000);
    expect(forMessage(waiting.sid).map((callback) => callback.params.MessageStatus)).toEqual(['sent', 'delivered']);
    expect(forMessage(waiting.sid)[0].receivedAt - startedAt).toBeGreaterThanOrEqual(1_200);
    expect(simulator.messages({ to: VOTER })[0]).toMatchObject({ validity_period: 1, queueMs: 1_200, status: 'failed', error_code: 30036 });
    expect(simulator.messages({ to: '+15551230101' })[0]).toMatchObject({ validity_period: 2, status: 'delivered' });
    expect((await client.messages(expiring.sid).fetch()).errorMessage).toBe('Validity Period Expired');
  });
});
