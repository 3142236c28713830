import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { CallListService } from '@app/campaigns';
import { Clock } from '@app/common';
import { MessageSweepService, OutboundMessageService, SendSlotReserver, STRANDED_AFTER_MS } from '@app/messaging';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult, QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createOwnerApplication, IdentityFactory, importSyntheticVoters, type TestContext, waitUntil } from '@app/testing';
import type { CarrierSimulator } from '../../carrier-sim/src';
import { createApiApplication } from '../../api/src/api-application.factory';
import { startCarrierContext } from '../../../test/carrier-context.util';
import { assignEveryVoterAsTurf, NOON_EASTERN } from '../../../test/phone-bank-stack.util';
import { SmsQueueProcessor } from '../src/sms-queue.processor';
import { SmsWorkerModule } from '../src/sms-worker.module';

const SENDERS = ['+19195550101', '+19195550102'];
const PER_SENDER_PER_SECOND = 4;
const INVALID = '+19195550911';
const NOT_MOBILE = '+19195550912';
const UNSUBSCRIBED_AT_CARRIER = '+19195550913';

/** Polls a condition (every 50 ms) until it holds. */
async function until(check: () => Promise<boolean>, options: { readonly timeoutMs: number; readonly intervalMs?: number }): Promise<void> {
  await waitUntil(async () => ((await check()) ? true : undefined), 'the condition', options.timeoutMs);
}

interface Conversation {
  readonly id: string;
  readonly phone: string;
  readonly sendingNumber: string;
}

/**
 * The sms worker end to end, in this process: the api listening on a real port (the carrier's
 * signed callbacks and inbound texts reach its webhooks over HTTP), the sms worker consuming its
 * queue, and the carrier simulator reached through the twilio SDK, with the same per-number caps
 * the worker is configured to keep. The worker's clock is noon Eastern, so the window is open.
 */
describe('sms worker: paced sends, callbacks applied once, STOP before the next send, carrier errors, stranded requests', () => {
  let context: TestContext;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let simulator: CarrierSimulator;
  let sql: DataSource;
  let outbound: OutboundMessageService;
  let allianceId: string;
  let memberId: string;
  let campaignId: string;
  let conversations: Conversation[];

  beforeAll(async () => {
    let apiPort: number;
    ({ simulator, context, apiPort } = await startCarrierContext({
      simulator: {
        callsPerSecond: 50,
        scenario: {
          duplicateRate: 0.3,
          outOfOrderRate: 0.3,
          lateMs: { min: 50, max: 200 },
          messages: {
            weights: { delivered: 1, undelivered: 0, failed: 0 },
            sentMs: { min: 10, max: 50 },
            deliveredMs: { min: 20, max: 100 },
            maxPerSecondPerSender: PER_SENDER_PER_SECOND,
            autoReplies: true,
            numbers: {
              [INVALID]: { createError: 21211 },
              [NOT_MOBILE]: { createError: 21614 },
              [UNSUBSCRIBED_AT_CARRIER]: { createError: 21610 },
            },
          },
        },
      },
      environment: {
        SMS_SENDER_MESSAGES_PER_SECOND: String(PER_SENDER_PER_SECOND),
        SMS_KEYWORD_REPLIES: 'crossroads',
        WORKER_CONCURRENCY: '16',
        DATABASE_POOL_SIZE: '10',
      },
      inboundTexts: true,
    }));
    const owner = await createOwnerApplication(context);
    api = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await api.listen(apiPort, '127.0.0.1');
    worker = await createWorkerContext(
      SmsWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
    );
    jest.spyOn(worker.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
    sql = worker.get(DataSource);
    outbound = worker.get(OutboundMessageService);

    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    allianceId = alliance.id;
    const anchor = await identity.anchor(allianceId);
    const member = await identity.member(allianceId, anchor.id);
    memberId = member.id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 120, seed: 81 });
    await owner.close();
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, calling_window_start, calling_window_end,
                             initial_message)
       VALUES ($1, 'texts', 'Texts', $2, 'active', 'sms', $3, '09:00', '20:00', '{"template": "Hi!", "variants": []}') RETURNING id`,
      [allianceId, memberId, SENDERS],
    );
    await assignEveryVoterAsTurf(sql, { allianceId, anchorId: anchor.id, memberId, campaignId });
    await worker.get(CallListService).refresh(allianceId, campaignId);
    await sql.query(`UPDATE campaign_contact SET time_zone = 'America/New_York' WHERE campaign_id = $1`, [campaignId]);
    // Three contacts get the carrier's refusal numbers.
    const special = [INVALID, NOT_MOBILE, UNSUBSCRIBED_AT_CARRIER];
    const firstThree: { id: string }[] = await sql.query(`SELECT id FROM campaign_contact WHERE campaign_id = $1 ORDER BY id LIMIT 3`, [campaignId]);
    for (const [index, row] of firstThree.entries()) await sql.query(`UPDATE campaign_contact SET phone = $2 WHERE id = $1`, [row.id, special[index]]);
    conversations = await sql.query(
      `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number)
       SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, ($2::text[])[1 + (id % 2)::int]
         FROM campaign_contact WHERE campaign_id = $1 ORDER BY id
       RETURNING id, voter_phone AS phone, sending_number AS "sendingNumber"`,
      [campaignId, SENDERS],
    );
    await worker.get(QueueWorkerLifecycle).start('sms-worker', [QueueName.Sms]);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await simulator?.close();
    await context?.dispose();
  });

  async function write(conversation: Conversation, kind: 'initial' | 'reply', key: string, body: string): Promise<string> {
    const { message } = await sql.transaction((manager) =>
      outbound.write(manager, {
        allianceId,
        campaignId,
        organizationId: memberId,
        conversationId: conversation.id,
        kind,
        idempotencyKey: key,
        voterPhone: conversation.phone,
        ourNumber: conversation.sendingNumber,
        messagingServiceSid: null,
        body,
        segmentKey: null,
        sentByUserId: null,
      }),
    );
    return message.id;
  }

  async function writeAndEnqueue(conversation: Conversation, kind: 'initial' | 'reply', key: string, body: string): Promise<string> {
    const messageId = await write(conversation, kind, key, body);
    await outbound.enqueueSend(messageId);
    return messageId;
  }

  async function statuses(ids: readonly string[]): Promise<Map<string, { status: string; errorCode: string | null; sid: string | null }>> {
    const rows: { id: string; status: string; errorCode: string | null; sid: string | null }[] = await sql.query(
      `SELECT id, status, error_code AS "errorCode", provider_message_sid AS sid FROM message WHERE id = ANY ($1)`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  function carrierTextsTo(phone: string): { sid: string; body: string; createdAt: number }[] {
    return simulator
      .messages({ to: phone })
      .filter((text) => String(text.direction).startsWith('outbound-api'))
      .map((text) => ({ sid: String(text.sid), body: String(text.body), createdAt: Date.parse(String(text.date_created)) }));
  }

  it('should send each text once at no more than each number’s cap, and apply duplicated, reordered callbacks once', async () => {
    const batch = conversations.slice(3, 43);
    // The slots the pacer hands out, per number: what it promises, free of the event loop's jitter on the way to the carrier.
    const slots = new Map<string, number[]>();
    const reserver = worker.get(SendSlotReserver);
    const reserve = reserver.reserve.bind(reserver);
    const spy = jest.spyOn(reserver, 'reserve').mockImplementation(async (sender: string) => {
      const slot = await reserve(sender);
      slots.set(sender, [...(slots.get(sender) ?? []), slot.at]);
      return slot;
    });
    const started = Date.now();
    const ids = await Promise.all(
      batch.map((conversation) => writeAndEnqueue(conversation, 'initial', `initial:${conversation.id}`, `Hello ${conversation.id}`)),
    );
    await until(async () => [...(await statuses(ids)).values()].every((row) => row.status === 'delivered'), { timeoutMs: 60_000, intervalMs: 200 });
    const elapsedMs = Date.now() - started;

    for (const conversation of batch) expect(carrierTextsTo(conversation.phone)).toHaveLength(1);
    const stats = simulator.stats().messages;
    expect(stats.rateLimited).toBe(0);
    // Slots 250 ms apart put five in a closed one-second window (both ends): never a sixth. (Measured where the
    // texts arrive, a stalled process can bunch two sends; the carrier's own limit above is what it refuses on.)
    for (const sender of SENDERS) {
      const times = [...(slots.get(sender) ?? [])].sort((a, b) => a - b);
      expect(times.length).toBeGreaterThanOrEqual(20);
      const sixthWithinASecond = times.slice(PER_SENDER_PER_SECOND + 1).filter((at, index) => at - times[index] <= 1000);
      expect([sender, sixthWithinASecond]).toEqual([sender, []]);
    }
    spy.mockRestore();
    // Twenty texts per number at four a second cannot all leave in under four seconds.
    expect(elapsedMs).toBeGreaterThan(((20 - PER_SENDER_PER_SECOND) / PER_SENDER_PER_SECOND) * 1000);
    // sent and delivered per text (a reordered `sent` may land after `delivered`): one row per (sid, status), each applied once.
    const counts = async (): Promise<{ stored: number; applied: number }> => {
      const [row] = await sql.query(`SELECT count(*)::int AS stored, count(applied_at)::int AS applied FROM provider_event WHERE kind = 'message_status'`);
      return row;
    };
    await until(
      async () => {
        const { stored, applied } = await counts();
        return stored === batch.length * 2 && applied === stored;
      },
      { timeoutMs: 10_000 },
    );
    const applications: { count: number }[] = await sql.query(
      `SELECT count(*)::int AS count FROM message WHERE id = ANY ($1) AND status = 'delivered' AND final_at IS NOT NULL`,
      [ids],
    );
    expect(applications[0].count).toBe(batch.length);
    expect(simulator.stats().callbacks.duplicated).toBeGreaterThan(0);
  }, 90_000);

  it('should send nothing to a phone once its STOP is received, cancel what was queued, and confirm once', async () => {
    const conversation = conversations[50];
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1)
      ids.push(await writeAndEnqueue(conversation, 'reply', `reply:${conversation.id}:${index}`, `Reply number ${index}`));
    await until(async () => [...(await statuses(ids)).values()].some((row) => row.sid !== null), { timeoutMs: 20_000, intervalMs: 20 });
    // The same phone's STOP to another alliance (another of its numbers), recorded within moments of this one: not this text's to name.
    const elsewhere = (await new IdentityFactory(sql).alliance()).id;
    await sql.query(
      `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, created_at) VALUES ($1, $2, 'sms', 'opt_out', 'keyword', now() + interval '2 seconds')`,
      [elsewhere, conversation.phone],
    );
    const stop = await simulator.injectInbound({ from: conversation.phone, to: conversation.sendingNumber, body: '  Stop. ' });
    expect(stop.webhook.status).toBe(200);
    const stopAnsweredAt = Date.now();
    await until(async () => [...(await statuses(ids)).values()].every((row) => ['delivered', 'canceled'].includes(row.status)), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const sentAfterStop = carrierTextsTo(conversation.phone).filter((text) => text.body.startsWith('Reply number') && text.createdAt > stopAnsweredAt);
    expect(sentAfterStop).toEqual([]);
    const rows = [...(await statuses(ids)).values()];
    expect(rows.filter((row) => row.status === 'canceled').length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.status === 'canceled').every((row) => row.errorCode === 'opted-out')).toBe(true);
    const [optOut] = await sql.query(`SELECT source FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel = 'sms'`, [allianceId, conversation.phone]);
    expect(optOut).toEqual({ source: 'keyword' });
    await until(async () => (await sql.query(`SELECT 1 FROM message WHERE kind = 'opt_out_reply' AND conversation_id = $1`, [conversation.id])).length === 1, {
      timeoutMs: 20_000,
    });
    const [closed] = await sql.query(`SELECT status, closed_reason AS reason FROM conversation WHERE id = $1`, [conversation.id]);
    expect(closed).toEqual({ status: 'closed', reason: 'opted_out' });
    // A repeat of the same STOP (the carrier retrying its webhook) changes nothing.
    const events: { body: string | null }[] = await sql.query(
      `SELECT m.body FROM opt_out_event e LEFT JOIN message m ON m.id = e.message_id WHERE e.alliance_id = $1 AND e.phone = $2`,
      [allianceId, conversation.phone],
    );
    // One event, naming the STOP itself once it was filed (the progress figures count it in that conversation).
    expect(events).toEqual([{ body: '  Stop. ' }]);
    expect(await sql.query(`SELECT message_id AS "messageId" FROM opt_out_event WHERE alliance_id = $1`, [elsewhere])).toEqual([{ messageId: null }]);
  }, 90_000);

  it('should lift an opt-out on START, and leave a YES from a subscribed phone as a plain reply', async () => {
    const stopped = conversations[51];
    await simulator.injectInbound({ from: stopped.phone, to: stopped.sendingNumber, body: 'STOP' });
    expect(await sql.query(`SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2`, [allianceId, stopped.phone])).toHaveLength(1);
    await simulator.injectInbound({ from: stopped.phone, to: stopped.sendingNumber, body: 'start' });
    expect(await sql.query(`SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2`, [allianceId, stopped.phone])).toHaveLength(0);
    const history: { action: string }[] = await sql.query(`SELECT action FROM opt_out_event WHERE alliance_id = $1 AND phone = $2 ORDER BY id`, [
      allianceId,
      stopped.phone,
    ]);
    expect(history.map((row) => row.action)).toEqual(['opt_out', 'opt_in']);

    const subscribed = conversations[52];
    await writeAndEnqueue(subscribed, 'initial', `initial:${subscribed.id}`, 'Would you support the measure?');
    await simulator.injectInbound({ from: subscribed.phone, to: subscribed.sendingNumber, body: 'Yes' });
    await until(async () => (await sql.query(`SELECT 1 FROM message WHERE direction = 'inbound' AND conversation_id = $1`, [subscribed.id])).length === 1, {
      timeoutMs: 20_000,
    });
    const [conversation] = await sql.query(`SELECT status FROM conversation WHERE id = $1`, [subscribed.id]);
    expect(conversation.status).toBe('needs_response');
    expect(await sql.query(`SELECT 1 FROM message WHERE kind = 'opt_in_reply' AND conversation_id = $1`, [subscribed.id])).toHaveLength(0);
    expect(await sql.query(`SELECT 1 FROM opt_out_event WHERE phone = $1`, [subscribed.phone])).toHaveLength(0);
  }, 60_000);

  it('should keep an inbound text no conversation matches, for the alliance’s admins', async () => {
    const injected = await simulator.injectInbound({ from: '+19195550999', to: SENDERS[0], body: 'who is this?' });
    await until(async () => (await sql.query(`SELECT 1 FROM message WHERE provider_message_sid = $1`, [injected.sid])).length === 1, { timeoutMs: 20_000 });
    const [row] = await sql.query(
      `SELECT alliance_id AS "allianceId", conversation_id AS "conversationId", organization_id AS "organizationId" FROM message WHERE provider_message_sid = $1`,
      [injected.sid],
    );
    expect(row).toEqual({ allianceId, conversationId: null, organizationId: null });
  }, 30_000);

  it('should not retry a permanent refusal, and keep it against the phone for every later text', async () => {
    const [invalid, notMobile, unsubscribed] = conversations.slice(0, 3);
    const ids = [
      await writeAndEnqueue(invalid, 'initial', `initial:${invalid.id}`, 'Hello invalid'),
      await writeAndEnqueue(notMobile, 'initial', `initial:${notMobile.id}`, 'Hello landline'),
      await writeAndEnqueue(unsubscribed, 'initial', `initial:${unsubscribed.id}`, 'Hello unsubscribed'),
    ];
    await until(async () => [...(await statuses(ids)).values()].every((row) => row.status === 'failed'), { timeoutMs: 20_000 });
    expect([...(await statuses(ids)).values()].map((row) => row.errorCode).sort()).toEqual(['21211', '21610', '21614']);
    const phoneStatuses: { phone: string; status: string }[] = await sql.query(`SELECT phone, status FROM phone_status WHERE alliance_id = $1 ORDER BY phone`, [
      allianceId,
    ]);
    expect(phoneStatuses).toEqual([
      { phone: INVALID, status: 'invalid_number' },
      { phone: NOT_MOBILE, status: 'not_mobile' },
    ]);
    expect(await sql.query(`SELECT source FROM opt_out WHERE phone = $1`, [UNSUBSCRIBED_AT_CARRIER])).toEqual([{ source: 'carrier' }]);
    const createErrorsBefore = simulator.stats().messages.createErrors;
    // A later text to the invalid number is canceled here, never asked of the carrier.
    const later = await writeAndEnqueue(invalid, 'reply', `reply:${invalid.id}:later`, 'Are you there?');
    await until(async () => (await statuses([later])).get(later)?.status === 'canceled', { timeoutMs: 20_000 });
    expect((await statuses([later])).get(later)?.errorCode).toBe('phone-invalid_number');
    expect(simulator.stats().messages.createErrors).toBe(createErrorsBefore);
    const closed: { reason: string }[] = await sql.query(`SELECT closed_reason AS reason FROM conversation WHERE id = ANY ($1) ORDER BY closed_reason`, [
      [invalid.id, notMobile.id, unsubscribed.id],
    ]);
    expect(closed.map((row) => row.reason)).toEqual(['invalid_number', 'not_mobile', 'opted_out']);
  }, 60_000);

  it('should adopt a stranded request the carrier has, and send again one it never received, never twice', async () => {
    const [adopted, lost] = conversations.slice(60, 62);
    // Two texts a killed worker left `requesting`: the first had reached the carrier, the second had not.
    const ids: string[] = [];
    for (const conversation of [adopted, lost]) {
      ids.push(await write(conversation, 'initial', `initial:${conversation.id}`, `Stranded ${conversation.id}`));
    }
    const stale = new Date(Date.now() - STRANDED_AFTER_MS - 5_000);
    await sql.query(`UPDATE message SET status = 'requesting', requested_at = $2, updated_at = $2, send_attempts = 1 WHERE id = ANY ($1)`, [ids, stale]);
    const twilio = (await import('twilio')).default(context.config.telephony.accountSid, context.config.telephony.authToken);
    twilio.api.baseUrl = context.config.telephony.apiBaseUrl as string;
    const reached = await twilio.messages.create({
      to: adopted.phone,
      from: adopted.sendingNumber,
      body: `Stranded ${adopted.id}`,
      statusCallback: `${context.config.telephony.webhookBaseUrl}/api/webhooks/twilio/messages/${ids[0]}/status`,
    });

    const sweeps = worker.get(MessageSweepService);
    const report = await sweeps.sweep();
    expect(report.recovered).toBe(1);
    expect(report.resent).toBe(1);
    await until(async () => [...(await statuses(ids)).values()].every((row) => row.status === 'delivered'), { timeoutMs: 20_000 });
    expect((await statuses(ids)).get(ids[0])?.sid).toBe(reached.sid);
    expect(carrierTextsTo(adopted.phone)).toHaveLength(1);
    expect(carrierTextsTo(lost.phone)).toHaveLength(1);
    // A second sweep finds nothing left.
    expect(await sweeps.sweep()).toMatchObject({ recovered: 0, resent: 0 });
  }, 60_000);

  it('should send a text once when its job runs twice, and apply a status event once when its job runs twice', async () => {
    const conversation = conversations[70];
    const message = { id: await write(conversation, 'initial', `initial:${conversation.id}`, 'Twice?') };
    const processor = worker.get(SmsQueueProcessor);
    const job = (name: JobName, payload: object): Job<JobEnvelope> =>
      ({ id: `manual-${name}-${Math.random()}`, name, data: { payload, correlationId: 'twice' }, attemptsMade: 0 }) as unknown as Job<JobEnvelope>;
    const results = await Promise.all([
      processor.process(job(JobName.SmsSend, { messageId: message.id })),
      processor.process(job(JobName.SmsSend, { messageId: message.id })),
    ]);
    expect(results.filter((result) => result === JobResult.Success).length).toBeGreaterThanOrEqual(1);
    await until(async () => (await statuses([message.id])).get(message.id)?.status === 'delivered', { timeoutMs: 20_000 });
    expect(carrierTextsTo(conversation.phone)).toHaveLength(1);
    const sid = (await statuses([message.id])).get(message.id)?.sid;
    await until(
      async () => (await sql.query(`SELECT 1 FROM provider_event WHERE provider_id = $1 AND status = 'sent' AND applied_at IS NOT NULL`, [sid])).length === 1,
      {
        timeoutMs: 10_000,
      },
    );
    const [event] = await sql.query(`SELECT id::text FROM provider_event WHERE kind = 'message_status' AND provider_id = $1 AND status = 'delivered'`, [
      (await statuses([message.id])).get(message.id)?.sid,
    ]);
    expect(await processor.process(job(JobName.SmsStatus, { eventId: event.id }))).toBe(JobResult.Skipped);
    // A late 'sent' after 'delivered' does not move it back.
    await sql.query(`UPDATE provider_event SET applied_at = NULL WHERE kind = 'message_status' AND provider_id = $1 AND status = 'sent'`, [
      (await statuses([message.id])).get(message.id)?.sid,
    ]);
    const [sent] = await sql.query(`SELECT id::text FROM provider_event WHERE kind = 'message_status' AND provider_id = $1 AND status = 'sent'`, [
      (await statuses([message.id])).get(message.id)?.sid,
    ]);
    expect(await processor.process(job(JobName.SmsStatus, { eventId: sent.id }))).toBe(JobResult.Success);
    expect((await statuses([message.id])).get(message.id)?.status).toBe('delivered');
  }, 60_000);

  it('should hold a text outside the voter’s window until it opens, and cut its validity at the close', async () => {
    const clock = jest.spyOn(worker.get(Clock), 'now');
    const conversation = conversations[80];
    try {
      // 06:00 in New York: held until 09:00.
      clock.mockReturnValue(new Date('2026-11-30T11:00:00Z'));
      const held = await writeAndEnqueue(conversation, 'initial', `initial:${conversation.id}`, 'Early bird');
      await until(async () => (await statuses([held])).get(held)?.status === 'held', { timeoutMs: 20_000 });
      const [row] = await sql.query(`SELECT send_after AS "sendAfter" FROM message WHERE id = $1`, [held]);
      expect(row.sendAfter.toISOString()).toBe('2026-11-30T14:00:00.000Z');
      expect(carrierTextsTo(conversation.phone)).toHaveLength(0);
      // 19:59:00 in New York: sent, expiring at 19:59:55.
      clock.mockReturnValue(new Date('2026-12-01T00:59:00Z'));
      await worker
        .get(OutboundMessageService)
        .enqueueSend(held)
        .catch(() => undefined);
      await sql.query(`UPDATE message SET send_after = now() - interval '1 minute', updated_at = now() - interval '1 minute' WHERE id = $1`, [held]);
      const processor = worker.get(SmsQueueProcessor);
      await processor.process({
        id: 'window',
        name: JobName.SmsSend,
        data: { payload: { messageId: held }, correlationId: 'window' },
        attemptsMade: 0,
      } as unknown as Job<JobEnvelope>);
      await until(async () => (await statuses([held])).get(held)?.sid !== null, { timeoutMs: 20_000 });
      const [sent] = await sql.query(`SELECT validity_period_seconds AS validity FROM message WHERE id = $1`, [held]);
      expect(sent.validity).toBe(55);
      expect(simulator.messages({ to: conversation.phone })[0]).toMatchObject({ validity_period: 55 });
    } finally {
      clock.mockReturnValue(NOON_EASTERN);
    }
  }, 60_000);
});
