import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SignedInAgent, WorkerProcess } from '@app/testing';
import type { ScenarioInput } from '../apps/carrier-sim/src';
import { TokenBucket } from '../apps/carrier-sim/src/token-bucket';
import {
  nextOpening,
  post,
  sendAllInitials,
  seedTextingCampaign,
  startTextingStack,
  type TextingCampaign,
  type TextingStack,
  zoneAtNightNow,
  zonesInDaytimeNow,
} from './texting-stack.util';
import { signInMemberVolunteers } from './campaign-seed.util';

/** Each sending number's pace, in the workers and at the carrier alike. */
const PER_SENDER_PER_SECOND = 7;
const CAMPAIGN_SENDERS = ['+19195550201', '+19195550202', '+19195550203', '+19195550204'];
const CRASH_SENDERS = ['+19195550301', '+19195550302', '+19195550303'];
const CONTACTS = 1_000;
const CRASH_CONTACTS = 300;
/**
 * Requests one number may make in any 5 s: its pace plus two seconds' worth (a stall in this process bunched up to
 * about one; unpaced workers made 93-108 in the campaign below, paced ones 39-40).
 */
const MOST_IN_5_SECONDS = (5 + 2) * PER_SENDER_PER_SECOND;
const TEXTERS = 10;
const NIGHT_CONTACTS = 12;
/** Numbers the carrier refuses for good, two per code: invalid, not a mobile, unsubscribed at the carrier. */
const REFUSED: Readonly<Record<string, number>> = {
  '+19195550911': 21211,
  '+19195550912': 21211,
  '+19195550921': 21614,
  '+19195550922': 21614,
  '+19195550931': 21610,
  '+19195550932': 21610,
};
const INITIAL_TEMPLATE = 'Hi {voter.first_name|there}, this is {volunteer.first_name} with Crossroads. Can we count on your vote?';
const STOP_VARIANTS = ['STOP', ' stop. ', 'Unsubscribe', 'STOP!!', 'cancel', 'Quit', 'optout', 'End.'];

/** How many of these requests (epoch ms, in order) the carrier's bucket for one number would have refused. */
function refusedByBucket(times: readonly number[]): number {
  if (times.length === 0) return 0;
  const bucket = TokenBucket.perSecond(PER_SENDER_PER_SECOND, times[0]);
  let refused = 0;
  for (const at of times) {
    if (bucket.hasToken(at)) bucket.take(at);
    else refused += 1;
  }
  return refused;
}

/** The most of these moments (epoch ms) that fall within any `windowMs`. */
function mostWithin(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((left, right) => left - right);
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const SCENARIO: ScenarioInput = {
  seed: 17,
  duplicateRate: 0.25,
  outOfOrderRate: 0.25,
  lateMs: { min: 50, max: 400 },
  callbackDelayMs: { min: 0, max: 60 },
  messages: {
    weights: { delivered: 1, undelivered: 0, failed: 0 },
    sentMs: { min: 20, max: 120 },
    deliveredMs: { min: 40, max: 300 },
    maxPerSecondPerSender: PER_SENDER_PER_SECOND,
    autoReplies: true,
    numbers: Object.fromEntries(Object.entries(REFUSED).map(([phone, code]) => [phone, { createError: code }])),
  },
};

interface ConversationRow {
  readonly id: string;
  readonly phone: string;
  readonly sendingNumber: string;
  readonly timeZone: string;
  readonly messageId: string | null;
}

interface Stop {
  readonly phone: string;
  readonly to: string;
  readonly body: string;
  /** When the voter wrote it: from then the carrier refuses texts from `to` to this phone (21610). */
  readonly writtenAt: number;
  /** When the inbound webhook had answered: nothing may reach the carrier for this phone after it. */
  readonly answeredAt: number;
  /** The text the phone was waiting for at the STOP (its initial or a follow-up reply), and its status then. */
  readonly pendingMessageId: string;
  readonly pendingStatusThen: string;
}

/**
 * Texting end to end at campaign scale, with real sms worker processes: texters sending a
 * 1,000-contact campaign over HTTP (one click per initial text), the carrier simulator with
 * per-number caps, duplicated and reordered status callbacks, and refusals; voters replying while
 * the texts are queued (STOP in its forms, non-keywords, START after STOP, HELP); then a second
 * campaign during which every sms worker is killed with SIGKILL mid-request and started again.
 */
describe('texting campaign (real sms workers, carrier simulator, STOPs while queued, kill -9)', () => {
  let stack: TextingStack;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    stack = await startTextingStack({ scenario: SCENARIO, senderMessagesPerSecond: PER_SENDER_PER_SECOND });
    // Constant latency to the carrier keeps the pace the workers set (jitter would bunch requests).
    stack.link.setDelay({ min: 40, max: 40 });
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`${JSON.stringify({ test: 'texting-campaign', ...figures })}\n`);
    await stack?.dispose();
  });

  const conversationsOf = async (campaignId: string): Promise<ConversationRow[]> =>
    stack.sql.query(
      `SELECT c.id, c.voter_phone AS phone, c.sending_number AS "sendingNumber", cc.time_zone AS "timeZone",
              (SELECT m.id FROM message m WHERE m.conversation_id = c.id AND m.kind = 'initial') AS "messageId"
         FROM conversation c JOIN campaign_contact cc ON cc.id = c.campaign_contact_id
        WHERE c.campaign_id = $1 ORDER BY cc.id`,
      [campaignId],
    );
  const statusOf = async (messageId: string): Promise<string> =>
    (await stack.sql.query(`SELECT status FROM message WHERE id = $1`, [messageId]))[0].status as string;
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await sleep(intervalMs);
    }
  };
  /**
   * Each number's pace as the workers kept it. Each text's request at the moment its worker claimed it
   * (`requested_at`), played through the carrier's own bucket for its number (`refusedOnWorkersClock`, must be 0),
   * and every request the workers made, refused ones included, as the link saw them (`mostIn5Seconds`). The
   * simulator shares this process with the api, whose load held a request for up to ~0.9 s between the link and
   * the simulator's clock (measured): the simulator's own refusals for rate are figures (each text so refused goes
   * again, and the tests see it taken once), not the workers' pace.
   */
  const paceOf = async (
    allianceId: string,
    senders: readonly string[],
  ): Promise<Array<{ sender: string; refusedOnWorkersClock: number; mostIn5Seconds: number }>> => {
    const claims: { sender: string; at: number }[] = await stack.sql.query(
      `SELECT our_number AS sender, (extract(epoch FROM requested_at) * 1000)::float8 AS at FROM message
        WHERE alliance_id = $1 AND our_number = ANY ($2) AND requested_at IS NOT NULL ORDER BY requested_at`,
      [allianceId, senders],
    );
    return senders.map((sender) => ({
      sender,
      refusedOnWorkersClock: refusedByBucket(claims.filter((claim) => claim.sender === sender).map((claim) => claim.at)),
      mostIn5Seconds: mostWithin(
        stack.link.requests.filter((request) => request.from === sender).map((request) => request.forwardedAt),
        5_000,
      ),
    }));
  };
  const carrierTexts = (senders: readonly string[]): Array<Record<string, unknown>> =>
    stack.simulator.messages().filter((text) => text.direction === 'outbound-api' && senders.includes(String(text.from)));

  describe('a 1,000-contact campaign with replies and STOPs while its texts are queued', () => {
    let campaign: TextingCampaign;
    let texters: SignedInAgent[];
    let nightZone: string;
    let daytimeZones: string[];
    const answers = new Map<string, { status: number; body: Record<string, unknown> }>();

    beforeAll(async () => {
      campaign = await seedTextingCampaign(stack, {
        contacts: CONTACTS,
        sendingNumbers: CAMPAIGN_SENDERS,
        seed: 41,
        initialTemplate: INITIAL_TEMPLATE,
        sharedPhones: 8,
      });
      daytimeZones = zonesInDaytimeNow(3);
      nightZone = zoneAtNightNow();
      const { sql } = stack;
      await sql.query(`UPDATE campaign_contact SET time_zone = ($2::text[])[1 + (id % cardinality($2::text[]))::int] WHERE campaign_id = $1`, [
        campaign.campaignId,
        daytimeZones,
      ]);
      // A few voters where it is night, and the carrier's refusal numbers, spread through the list.
      const contacts: { id: string }[] = await sql.query(`SELECT id FROM campaign_contact WHERE campaign_id = $1 ORDER BY id`, [campaign.campaignId]);
      const night = contacts.filter((_, index) => index % 80 === 7).slice(0, NIGHT_CONTACTS);
      await sql.query(`UPDATE campaign_contact SET time_zone = $2 WHERE id = ANY ($1)`, [night.map((row) => row.id), nightZone]);
      const refused = contacts.filter((_, index) => index % 150 === 11);
      for (const [index, phone] of Object.keys(REFUSED).entries()) {
        await sql.query(`UPDATE campaign_contact SET phone = $2 WHERE id = $1`, [refused[index].id, phone]);
      }
      texters = await signInMemberVolunteers(stack, campaign, TEXTERS);
    }, 120_000);

    it('should send one text per phone at the numbers’ pace, cancel what a STOP finds queued, and apply callbacks once', async () => {
      const { sql, simulator, link } = stack;
      // The texters send every initial text first (one click each): the whole campaign waits in the queue.
      const postingStarted = Date.now();
      const postedOrder: string[] = [];
      const { doubleClicks, batches } = await sendAllInitials(stack, campaign, texters, CONTACTS / TEXTERS, (conversationId, status, body) => {
        answers.set(conversationId, { status, body });
        postedOrder.push(conversationId);
      });
      const postedSeconds = (Date.now() - postingStarted) / 1000;
      const started = Date.now();
      await Promise.all([stack.startWorker('sms-worker-1'), stack.startWorker('sms-worker-2')]);

      const stops: Stop[] = [];
      const stopWebhookMs: number[] = [];
      const stop = async (row: ConversationRow, body: string, pendingMessageId: string, to = row.sendingNumber): Promise<void> => {
        const pendingStatusThen = await statusOf(pendingMessageId);
        const writtenAt = Date.now();
        const injected = await simulator.injectInbound({ from: row.phone, to, body });
        if (injected.webhook.status !== 200) {
          throw new Error(`the STOP webhook did not answer 200 (${stops.length} STOPs before it): ${JSON.stringify({ row, body, to, ...injected })}`);
        }
        stopWebhookMs.push(injected.webhook.ms);
        stops.push({ phone: row.phone, to, body, writtenAt, answeredAt: Date.now(), pendingMessageId, pendingStatusThen });
      };

      // STOPs from voters whose initial text is still queued: the last ones the texters sent.
      const all = await conversationsOf(campaign.campaignId);
      const byId = new Map(all.map((row) => [row.id, row]));
      const queued: ConversationRow[] = [];
      for (const id of [...postedOrder].reverse()) {
        const row = byId.get(id)!;
        if (queued.length === 24) break;
        if (row.messageId === null || row.phone in REFUSED || row.timeZone === nightZone) continue;
        if ((await statusOf(row.messageId)) === 'created') queued.push(row);
      }
      expect(queued).toHaveLength(24);
      // Voters reply at once. Every fourth writes to another of the campaign's numbers: the opt-out holds for the
      // whole alliance, while the carrier blocks only the number written to.
      await Promise.all(
        queued.map((row, index) =>
          stop(
            row,
            STOP_VARIANTS[index % STOP_VARIANTS.length],
            row.messageId!,
            index % 4 === 3 ? CAMPAIGN_SENDERS[(CAMPAIGN_SENDERS.indexOf(row.sendingNumber) + 1) % CAMPAIGN_SENDERS.length] : row.sendingNumber,
          ),
        ),
      );
      const stoppedAt = Date.now() - started;

      // Replies to texts already delivered, while the rest of the campaign waits in the queue.
      await until(
        'sixty initial texts delivered',
        async () =>
          (await sql.query(`SELECT count(*)::int AS n FROM message WHERE campaign_id = $1 AND status = 'delivered'`, [campaign.campaignId]))[0].n >= 60,
        60_000,
        100,
      );
      const early = postedOrder
        .map((id) => byId.get(id)!)
        .filter((row) => row.messageId !== null && !(row.phone in REFUSED) && row.timeZone !== nightZone)
        .slice(0, 200);
      const delivered: ConversationRow[] = [];
      for (const row of early) if ((await statusOf(row.messageId!)) === 'delivered') delivered.push(row);
      const [afterReply, stopStart, nonKeyword, ordinary, help] = [
        delivered.slice(0, 10),
        delivered.slice(10, 13),
        delivered.slice(13, 17),
        delivered.slice(17, 23),
        delivered.slice(23, 26),
      ];
      expect(help).toHaveLength(3);
      const texterOf = async (conversationId: string): Promise<SignedInAgent> => {
        const [{ userId }] = await sql.query(`SELECT texter_user_id AS "userId" FROM conversation WHERE id = $1`, [conversationId]);
        return texters.find((texter) => texter.userId === userId) as SignedInAgent;
      };
      const reply = async (row: ConversationRow, body: string): Promise<string> => {
        const sent = await post(await texterOf(row.id), `/api/texting/conversations/${row.id}/replies`).send({ body, clientKey: randomUUID() });
        expect(sent.status).toBe(201);
        return (sent.body as { message: { id: string } }).message.id;
      };
      // Follow-up texts queue behind the whole campaign; the voter's STOP arrives while they wait.
      const followUps = new Map<string, string>();
      for (const row of afterReply) followUps.set(row.id, await reply(row, `A question for you, ${row.id.slice(0, 8)}: will you vote early?`));
      await Promise.all(afterReply.map((row, index) => stop(row, STOP_VARIANTS[index % STOP_VARIANTS.length], followUps.get(row.id)!)));
      // Not keywords: replies; the voter stays subscribed, and a reply to them goes out.
      const replies = ['stop please', 'Please stop by the office?', 'stop it, I already voted', 'STOP please'];
      for (const [index, row] of nonKeyword.entries()) await simulator.injectInbound({ from: row.phone, to: row.sendingNumber, body: replies[index] });
      for (const [index, row] of ordinary.entries()) {
        await simulator.injectInbound({ from: row.phone, to: row.sendingNumber, body: ['Yes, count me in', 'Who is this?', 'Maybe'][index % 3] });
      }
      const answered = new Map<string, string>();
      for (const row of nonKeyword) answered.set(row.id, await reply(row, `Sorry for the confusion, ${row.id.slice(0, 8)}!`));
      for (const [index, row] of help.entries())
        await simulator.injectInbound({ from: row.phone, to: row.sendingNumber, body: ['HELP', 'help', ' Help! '][index] });
      // STOP, then START: subscribed again.
      for (const row of stopStart) {
        await simulator.injectInbound({ from: row.phone, to: row.sendingNumber, body: 'STOP' });
        await simulator.injectInbound({ from: row.phone, to: row.sendingNumber, body: 'Start' });
      }

      // The campaign drains: every text final (or held for the night), every callback the carrier sent answered, stored and applied.
      const drainState = async (): Promise<Record<string, unknown>> => {
        const [state] = await sql.query(
          `SELECT count(*) FILTER (WHERE status IN ('created', 'requesting', 'accepted', 'queued', 'sending', 'sent'))::int AS open,
                  (SELECT count(*)::int FROM provider_event WHERE applied_at IS NULL) AS unapplied
             FROM message WHERE campaign_id = $1 AND direction = 'outbound'`,
          [campaign.campaignId],
        );
        const stored = new Set(
          (await sql.query(`SELECT provider_id || ':' || status AS key FROM provider_event WHERE kind = 'message_status'`)).map(
            (row: { key: string }) => row.key,
          ),
        );
        const texts = carrierTexts(CAMPAIGN_SENDERS);
        const callbacks = texts.flatMap((text) =>
          (text.callbacks as Array<{ status: string; responseStatus: number | null; error: string | null }>).map((callback) => ({
            ...callback,
            key: `${String(text.sid)}:${callback.status}`,
          })),
        );
        const unsettled = callbacks.filter((callback) => callback.responseStatus === null && callback.error === null).length;
        const answeredNotStored = callbacks.filter((callback) => callback.responseStatus === 200 && !stored.has(callback.key)).length;
        const notDelivered = texts.filter((text) => text.status !== 'delivered').length;
        return { ...state, unsettled, answeredNotStored, notDelivered, callbacksFailed: callbacks.filter((callback) => callback.error !== null).length };
      };
      await until(
        'every text of the campaign final or held, and every callback the carrier sent stored and applied',
        async () => {
          const state = await drainState();
          return state.open === 0 && state.unapplied === 0 && state.unsettled === 0 && state.answeredNotStored === 0 && state.notDelivered === 0;
        },
        180_000,
        500,
      ).catch(async (error: Error) => {
        const open: unknown[] = await sql.query(
          `SELECT kind, status, send_attempts, send_after, updated_at, error_message FROM message
            WHERE campaign_id = $1 AND status IN ('created', 'requesting', 'accepted', 'queued', 'sending', 'sent') LIMIT 8`,
          [campaign.campaignId],
        );
        throw new Error(`${error.message}: ${JSON.stringify({ ...(await drainState()), stopWebhookMs, open })}`);
      });
      const drainedSeconds = (Date.now() - started) / 1000;

      // --- STOP: nothing reached the carrier for a phone after its STOP was answered; what waited was canceled.
      const lateRequests = stops.flatMap((each) =>
        link.requests.filter((request) => request.to === each.phone && request.forwardedAt > each.answeredAt).map((request) => ({ ...request, stop: each })),
      );
      expect(lateRequests).toEqual([]);
      // Nor did we ask for a text the carrier refused as opted out, except one already on its way when the voter wrote
      // (claimed before, or asked before our webhook answered): the carrier blocks the pair the moment the voter
      // writes, before our webhook answers (replies go ahead of the campaign, so a follow-up can be that one).
      const refusedAsOptedOut = link.requests
        .filter((request) => request.errorCode === 21610 && !(request.to in REFUSED))
        .map((request) => ({ ...request, stops: stops.filter((each) => each.phone === request.to) }));
      const inFlightAtStop = (request: (typeof refusedAsOptedOut)[number]): boolean =>
        request.stops.some(
          (each) =>
            each.to === request.from &&
            request.forwardedAt <= each.answeredAt &&
            (each.pendingStatusThen === 'requesting' || request.forwardedAt >= each.writtenAt),
        );
      expect(refusedAsOptedOut.filter((request) => !inFlightAtStop(request))).toEqual([]);
      expect(simulator.stats().messages.optedOut).toBe(refusedAsOptedOut.length);
      const stoppedPhones = stops.map((each) => each.phone);
      const optOuts: { phone: string; source: string; rows: number; events: number }[] = await sql.query(
        `SELECT o.phone, o.source, count(*) OVER (PARTITION BY o.phone)::int AS rows,
                (SELECT count(*)::int FROM opt_out_event e WHERE e.alliance_id = o.alliance_id AND e.phone = o.phone) AS events
           FROM opt_out o WHERE o.alliance_id = $1 AND o.phone = ANY ($2)`,
        [campaign.allianceId, stoppedPhones],
      );
      expect(optOuts.map((row) => row.phone).sort()).toEqual([...stoppedPhones].sort());
      // One opt-out each, from the keyword; or from the carrier's refusal, when that reached us first.
      const refusedInFlight = new Set(refusedAsOptedOut.map((request) => request.to));
      expect(
        optOuts.filter(
          (row) => !(row.source === 'keyword' || (row.source === 'carrier' && refusedInFlight.has(row.phone))) || row.rows !== 1 || row.events !== 1,
        ),
      ).toEqual([]);
      const pendingAfter: { id: string; phone: string; status: string; errorCode: string | null }[] = await sql.query(
        `SELECT id, voter_phone AS phone, status, error_code AS "errorCode" FROM message WHERE id = ANY ($1)`,
        [stops.map((each) => each.pendingMessageId)],
      );
      // Queued at the STOP: canceled as opted out; not one of them left for the carrier.
      const unsentAtStop = stops.filter((each) => ['created', 'held'].includes(each.pendingStatusThen)).map((each) => each.pendingMessageId);
      expect(unsentAtStop.length).toBeGreaterThanOrEqual(20);
      // (Or, claimed after the voter wrote and before our webhook had answered, refused by the carrier: judged above.)
      expect(
        pendingAfter.filter(
          (row) =>
            unsentAtStop.includes(row.id) &&
            !(row.status === 'canceled' && row.errorCode === 'opted-out') &&
            !(row.status === 'failed' && row.errorCode === '21610' && refusedInFlight.has(row.phone)),
        ),
      ).toEqual([]);
      const stillUnsent: unknown[] = await sql.query(
        `SELECT id FROM message WHERE campaign_id = $1 AND voter_phone = ANY ($2) AND status IN ('created', 'held', 'requesting')`,
        [campaign.campaignId, stoppedPhones],
      );
      expect(stillUnsent).toEqual([]);
      // Every conversation of a phone that wrote STOP is closed as opted out, whichever of the campaign's numbers it wrote to.
      const closed: { status: string; reason: string }[] = await sql.query(
        `SELECT DISTINCT status, closed_reason AS reason FROM conversation WHERE campaign_id = $1 AND voter_phone = ANY ($2)`,
        [campaign.campaignId, stoppedPhones],
      );
      expect(closed).toEqual([{ status: 'closed', reason: 'opted_out' }]);
      // Some wrote to another of the campaign's numbers than their conversation's: the carrier blocks only that number.
      const ownNumberStops = stops.filter((each) => all.find((row) => row.phone === each.phone)?.sendingNumber === each.to);
      const elsewhereStops = stops.filter((each) => !ownNumberStops.includes(each));
      expect(elsewhereStops.length).toBeGreaterThan(0);

      // --- Not keywords, START after STOP, HELP: no opt-out left; the non-keyword voters got their reply.
      const subscribed = [...nonKeyword, ...ordinary, ...stopStart, ...help].map((row) => row.phone);
      expect(await sql.query(`SELECT phone FROM opt_out WHERE alliance_id = $1 AND phone = ANY ($2)`, [campaign.allianceId, subscribed])).toEqual([]);
      for (const row of stopStart) {
        const history: { action: string }[] = await sql.query(`SELECT action FROM opt_out_event WHERE alliance_id = $1 AND phone = $2 ORDER BY id`, [
          campaign.allianceId,
          row.phone,
        ]);
        expect(history.map((each) => each.action)).toEqual(['opt_out', 'opt_in']);
      }
      expect(
        await sql.query(`SELECT 1 FROM opt_out_event WHERE alliance_id = $1 AND phone = ANY ($2)`, [
          campaign.allianceId,
          [...nonKeyword, ...help].map((row) => row.phone),
        ]),
      ).toEqual([]);
      for (const messageId of answered.values()) expect(await statusOf(messageId)).toBe('delivered');
      const inbound: { n: number }[] = await sql.query(
        `SELECT count(*)::int AS n FROM message WHERE direction = 'inbound' AND campaign_id = $1 AND conversation_id IS NOT NULL`,
        [campaign.campaignId],
      );
      // Every text in to a conversation's own number is filed under it (a STOP to another number is kept unmatched).
      expect(inbound[0].n).toBe(ownNumberStops.length + nonKeyword.length + ordinary.length + help.length + 2 * stopStart.length);
      for (const row of help) {
        expect(simulator.messages({ to: row.phone }).filter((text) => text.direction === 'outbound-reply')).toHaveLength(1);
      }

      // --- Callbacks: duplicated and reordered by the carrier, stored once per (sid, status), each applied once.
      const callbackStats = simulator.stats().callbacks;
      expect(callbackStats.duplicated).toBeGreaterThan(0);
      expect(callbackStats.reordered).toBeGreaterThan(0);
      const repeatedEvents: unknown[] = await sql.query(
        `SELECT provider_id, status, count(*) FROM provider_event WHERE kind = 'message_status' GROUP BY provider_id, status HAVING count(*) > 1`,
      );
      expect(repeatedEvents).toEqual([]);
      const storedEvents: { key: string; applied: boolean }[] = await sql.query(
        `SELECT provider_id || ':' || status AS key, applied_at IS NOT NULL AS applied FROM provider_event WHERE kind = 'message_status'`,
      );
      const carrierKeys = new Set(
        carrierTexts(CAMPAIGN_SENDERS).flatMap((text) =>
          (text.callbacks as Array<{ status: string }>).map((callback) => `${String(text.sid)}:${callback.status}`),
        ),
      );
      expect(storedEvents.filter((event) => !carrierKeys.has(event.key) || !event.applied)).toEqual([]);
      // Two per delivered text (sent, delivered): the duplicates the carrier sent were not stored again.
      expect(storedEvents.length).toBe(carrierKeys.size);
      // Each delivered text's row is delivered (a late `sent` after `delivered` did not move it back), with its carrier sid.
      const rows: { sid: string; status: string; finalAt: Date | null }[] = await sql.query(
        `SELECT provider_message_sid AS sid, status, final_at AS "finalAt" FROM message WHERE campaign_id = $1 AND provider_message_sid IS NOT NULL AND direction = 'outbound'`,
        [campaign.campaignId],
      );
      const rowBySid = new Map(rows.map((row) => [row.sid, row]));
      const carrierDelivered = carrierTexts(CAMPAIGN_SENDERS).filter((text) => text.status === 'delivered');
      expect(carrierDelivered.filter((text) => rowBySid.get(String(text.sid))?.status !== 'delivered')).toEqual([]);
      expect(rows.filter((row) => row.status === 'delivered' && row.finalAt === null)).toEqual([]);
      expect(rows.length).toBe(carrierDelivered.length);

      // --- One initial text per phone in the campaign: at the carrier, and in the table; households shared one.
      const initialBodies = new Set(
        (await sql.query(`SELECT body FROM message WHERE campaign_id = $1 AND kind = 'initial'`, [campaign.campaignId])).map(
          (row: { body: string }) => row.body,
        ),
      );
      const initialsByPhone = new Map<string, number>();
      for (const text of carrierTexts(CAMPAIGN_SENDERS)) {
        if (initialBodies.has(String(text.body))) initialsByPhone.set(String(text.to), (initialsByPhone.get(String(text.to)) ?? 0) + 1);
      }
      expect([...initialsByPhone.entries()].filter(([, count]) => count > 1)).toEqual([]);
      const [households] = await sql.query(
        `SELECT count(*) FILTER (WHERE cardinality(household_voter_ids) > 1)::int AS shared, count(*)::int AS contacts FROM campaign_contact WHERE campaign_id = $1`,
        [campaign.campaignId],
      );
      expect(households.shared).toBeGreaterThanOrEqual(8);
      const householdTexts: { phone: string; voters: number }[] = await sql.query(
        `SELECT phone, cardinality(household_voter_ids) AS voters FROM campaign_contact WHERE campaign_id = $1 AND cardinality(household_voter_ids) > 1`,
        [campaign.campaignId],
      );
      expect(householdTexts.filter((row) => (initialsByPhone.get(row.phone) ?? 0) > 1)).toEqual([]);
      const [perPhone] = await sql.query(
        `SELECT count(*)::int AS initials, count(DISTINCT voter_phone)::int AS phones FROM message WHERE campaign_id = $1 AND kind = 'initial'`,
        [campaign.campaignId],
      );
      expect(perPhone.initials).toBe(perPhone.phones);
      expect(perPhone.initials).toBe(CONTACTS);
      // Ten texters asking at once each got the whole batch they asked for, and then nobody was left.
      expect(batches).toEqual(texters.map(() => [CONTACTS / TEXTERS]));
      expect(doubleClicks).toHaveLength(TEXTERS);
      for (const click of doubleClicks) {
        expect(click.statuses).toEqual([200, 201]);
        expect(new Set(click.messageIds).size).toBe(1);
      }
      expect([...answers.values()].filter((answer) => answer.status !== 201)).toEqual([]);

      // --- Night: held until the window opens there, nothing sent.
      const nightRows = all.filter((row) => row.timeZone === nightZone);
      expect(nightRows).toHaveLength(NIGHT_CONTACTS);
      const opening = nextOpening(nightZone, 9 * 60).toISOString();
      const held: { status: string; sendAfter: Date }[] = await sql.query(`SELECT status, send_after AS "sendAfter" FROM message WHERE id = ANY ($1)`, [
        nightRows.map((row) => row.messageId),
      ]);
      expect(held.map((row) => `${row.status} ${row.sendAfter?.toISOString()}`)).toEqual(nightRows.map(() => `held ${opening}`));
      expect(nightRows.map((row) => new Date(answers.get(row.id)?.body.heldUntil as string).toISOString())).toEqual(nightRows.map(() => opening));
      expect(link.requests.filter((request) => nightRows.some((row) => row.phone === request.to))).toEqual([]);

      // --- Permanent refusals: failed with their code, asked of the carrier once each, and kept against the phone.
      const refused: { phone: string; status: string; errorCode: string }[] = await sql.query(
        `SELECT voter_phone AS phone, status, error_code AS "errorCode" FROM message WHERE campaign_id = $1 AND voter_phone = ANY ($2) ORDER BY voter_phone`,
        [campaign.campaignId, Object.keys(REFUSED)],
      );
      expect(refused).toEqual(Object.entries(REFUSED).map(([phone, code]) => ({ phone, status: 'failed', errorCode: String(code) })));
      expect(simulator.stats().messages.createErrors).toBe(Object.keys(REFUSED).length);
      // (A request the carrier turned away for rate first was not judged; it went again.)
      for (const phone of Object.keys(REFUSED)) expect(link.requests.filter((request) => request.to === phone && request.errorCode !== 20429)).toHaveLength(1);
      const marks: { phone: string; status: string }[] = await sql.query(`SELECT phone, status FROM phone_status WHERE alliance_id = $1 ORDER BY phone`, [
        campaign.allianceId,
      ]);
      expect(marks).toEqual([
        { phone: '+19195550911', status: 'invalid_number' },
        { phone: '+19195550912', status: 'invalid_number' },
        { phone: '+19195550921', status: 'not_mobile' },
        { phone: '+19195550922', status: 'not_mobile' },
      ]);
      // (Besides any phone whose text was on its way at its voter's STOP, judged above.)
      const carrierOptOuts: { phone: string; source: string }[] = await sql.query(
        `SELECT phone, source FROM opt_out WHERE alliance_id = $1 AND source = 'carrier' ORDER BY phone`,
        [campaign.allianceId],
      );
      expect(carrierOptOuts.filter((row) => !refusedInFlight.has(row.phone))).toEqual([
        { phone: '+19195550931', source: 'carrier' },
        { phone: '+19195550932', source: 'carrier' },
      ]);

      // --- Pace (see paceOf): on the workers' clock, and in every request over 5 s windows.
      const pace = await paceOf(campaign.allianceId, CAMPAIGN_SENDERS);
      expect(pace.filter(({ refusedOnWorkersClock, mostIn5Seconds }) => refusedOnWorkersClock > 0 || mostIn5Seconds > MOST_IN_5_SECONDS)).toEqual([]);
      // A text the carrier refused for rate was asked again and taken once (none, if its voter's STOP came first or the
      // number is one the carrier refuses for good, judged above).
      const takenAfterRefusal = link.requests
        .filter((request) => CAMPAIGN_SENDERS.includes(request.from) && request.errorCode === 20429)
        .map(({ to, body }) => ({
          to,
          stopped: stops.some((each) => each.phone === to),
          // The same text: a phone may also get a reply, or the confirmation of its STOP.
          taken: link.requests.filter((request) => request.to === to && request.body === body && request.status === 201).length,
        }));
      expect(takenAfterRefusal.filter(({ to, stopped, taken }) => taken !== 1 && !((stopped || to in REFUSED) && taken === 0))).toEqual([]);
      const stats = simulator.stats().messages;
      const sentToCarrier = link.requests.filter((request) => CAMPAIGN_SENDERS.includes(request.from)).length;
      expect(drainedSeconds).toBeGreaterThan(sentToCarrier / (CAMPAIGN_SENDERS.length * PER_SENDER_PER_SECOND) - 2);

      Object.assign(figures, {
        campaign: {
          drainedSeconds,
          postedSeconds,
          batchesPerTexter: batches,
          stopsInjectedBySeconds: stoppedAt / 1000,
          carrierRequests: sentToCarrier,
          delivered: carrierDelivered.length,
          stops: stops.length,
          stopWebhookMs: {
            median: [...stopWebhookMs].sort((left, right) => left - right)[Math.floor(stopWebhookMs.length / 2)],
            max: Math.max(...stopWebhookMs),
          },
          stopsToAnotherNumber: elsewhereStops.length,
          canceledByStop: unsentAtStop.length,
          refusedInFlightAtStop: refusedAsOptedOut.length,
          householdsSharingAPhone: households.shared,
          callbacks: callbackStats,
          statusEventsStored: storedEvents.length,
          maxAcceptedPerSecond: Object.fromEntries(CAMPAIGN_SENDERS.map((sender) => [sender, stats.senders[sender].maxAcceptedPerSecond])),
          rateLimited: stats.rateLimited,
          refusedForRate: takenAfterRefusal.length,
          pace,
          zones: { daytime: daytimeZones, night: nightZone, opening },
        },
      });
    }, 300_000);
  });

  describe('kill -9 of every sms worker mid-send, then restart', () => {
    let campaign: TextingCampaign;
    let texters: SignedInAgent[];

    beforeAll(async () => {
      campaign = await seedTextingCampaign(stack, { contacts: CRASH_CONTACTS, sendingNumbers: CRASH_SENDERS, seed: 43, initialTemplate: INITIAL_TEMPLATE });
      await stack.sql.query(`UPDATE campaign_contact SET time_zone = $2 WHERE campaign_id = $1`, [campaign.campaignId, zonesInDaytimeNow(1)[0]]);
      texters = await signInMemberVolunteers(stack, campaign, 3);
    }, 120_000);

    it('should text no voter twice and lose none, and keep the numbers’ pace', async () => {
      const { sql, simulator, link } = stack;
      // Half a second to the carrier: a dozen requests in flight at any moment.
      link.setDelay({ min: 500, max: 500 });
      const started = Date.now();
      const refusedBefore = simulator.stats().messages.rateLimited;
      const posting = sendAllInitials(stack, campaign, texters, CRASH_CONTACTS / texters.length, (_, status, body) => {
        if (status !== 201) throw new Error(`an initial text was refused: ${status} ${JSON.stringify(body)}`);
      });
      const counts = async (): Promise<Record<string, number>> => {
        const rows: { status: string; n: number }[] = await sql.query(`SELECT status, count(*)::int AS n FROM message WHERE campaign_id = $1 GROUP BY status`, [
          campaign.campaignId,
        ]);
        return Object.fromEntries(rows.map((row) => [row.status, row.n]));
      };
      let atKill: Record<string, number> = {};
      await until(
        'texts requesting while others are delivered',
        async () => {
          atKill = await counts();
          return (atKill.requesting ?? 0) >= 6 && (atKill.delivered ?? 0) >= 40;
        },
        60_000,
        5,
      );
      const killed: WorkerProcess[] = stack.workers.filter((worker) => worker.running);
      const killedAt = Date.now();
      await Promise.all(killed.map((worker) => worker.kill('SIGKILL')));
      const requestingAtKill: { id: string }[] = await sql.query(`SELECT id FROM message WHERE campaign_id = $1 AND status = 'requesting'`, [
        campaign.campaignId,
      ]);
      await posting;
      await sleep(1_500);
      const restartBegan = Date.now();
      const restarted = await Promise.all([stack.startWorker('sms-worker-3'), stack.startWorker('sms-worker-4')]);
      const restartedAt = Date.now();

      const sweepsAfterKill = (): unknown[] =>
        stack.workers
          .filter((worker) => worker.running)
          .flatMap((worker) =>
            worker.logs
              .filter((line) => line.message === 'sms sweep' || line.message === 'stranded text recovered' || line.level === 'error')
              .map((line) => ({ ...line, afterKillMs: (typeof line.time === 'number' ? line.time : Date.parse(String(line.time))) - killedAt })),
          );
      await until(
        `every text of the crashed campaign final (${JSON.stringify({ atKill })})`,
        async () => {
          const now = await counts();
          return (now.delivered ?? 0) + (now.failed ?? 0) + (now.canceled ?? 0) === CRASH_CONTACTS;
        },
        120_000,
        500,
      ).catch(async (error: Error) => {
        const open: unknown[] = await sql.query(
          `SELECT status, send_attempts, send_after, updated_at, requested_at, error_message FROM message WHERE campaign_id = $1 AND status NOT IN ('delivered', 'failed', 'canceled') LIMIT 10`,
          [campaign.campaignId],
        );
        throw new Error(`${error.message}; open: ${JSON.stringify(open)}; worker logs: ${JSON.stringify(sweepsAfterKill().slice(-30))}`);
      });
      const recoveredSeconds = (Date.now() - killedAt) / 1000;

      // Nobody texted twice, nobody lost: one carrier text per voter, every row delivered with that text's sid.
      const texts = carrierTexts(CRASH_SENDERS);
      const perPhone = new Map<string, string[]>();
      for (const text of texts) perPhone.set(String(text.to), [...(perPhone.get(String(text.to)) ?? []), String(text.sid)]);
      expect([...perPhone.entries()].filter(([, sids]) => sids.length > 1)).toEqual([]);
      const rows: { id: string; phone: string; status: string; sid: string | null; attempts: number; errorMessage: string | null }[] = await sql.query(
        `SELECT id, voter_phone AS phone, status, provider_message_sid AS sid, send_attempts AS attempts, error_message AS "errorMessage"
           FROM message WHERE campaign_id = $1`,
        [campaign.campaignId],
      );
      expect(rows).toHaveLength(CRASH_CONTACTS);
      expect(rows.filter((row) => row.status !== 'delivered' || perPhone.get(row.phone)?.[0] !== row.sid)).toEqual([]);
      expect(perPhone.size).toBe(CRASH_CONTACTS);
      // Every request left in flight by the kill was resolved: adopted by its callbacks or the sweep, or sent again.
      const stranded = rows.filter((row) => row.attempts > 1);
      const rateLimited = simulator.stats().messages.rateLimited - refusedBefore;
      const refusedForRate = link.requests
        .filter((request) => CRASH_SENDERS.includes(request.from) && request.errorCode === 20429)
        .map((request) => ({ from: request.from, afterKillMs: request.forwardedAt - killedAt, afterRestartMs: request.forwardedAt - restartedAt }));
      const stats = simulator.stats().messages;
      const lastToFinish: { afterKillMs: number; attempts: number; errorMessage: string | null }[] = await sql.query(
        `SELECT (extract(epoch FROM final_at) * 1000 - $2)::int AS "afterKillMs", send_attempts AS attempts, error_message AS "errorMessage"
           FROM message WHERE campaign_id = $1 ORDER BY final_at DESC LIMIT 3`,
        [campaign.campaignId, killedAt],
      );
      const pace = await paceOf(campaign.allianceId, CRASH_SENDERS);
      Object.assign(figures, {
        crash: {
          lastToFinish,
          sentSeconds: (killedAt - started) / 1000,
          atKill,
          requestingAtKill: requestingAtKill.length,
          restartTookMs: restartedAt - restartBegan,
          orphanedRequests: { ...link.orphaned },
          sentAgain: stranded.length,
          requestingAtKillSentAgain: rows.filter((row) => requestingAtKill.some((each) => each.id === row.id) && row.attempts > 1).length,
          recoveredSeconds,
          carrierTexts: texts.length,
          rateLimited,
          refusedForRate,
          maxAcceptedPerSecond: Object.fromEntries(CRASH_SENDERS.map((sender) => [sender, stats.senders[sender].maxAcceptedPerSecond])),
          pace,
          recoveryLogs: restarted.flatMap((worker) => worker.logs.filter((line) => line.message === 'stranded text recovered').map((line) => line.outcome)),
          sweeps: restarted.flatMap((worker) =>
            worker.logs
              .filter((line) => line.message === 'sms sweep')
              .map((line) => ({
                afterKillMs: (typeof line.time === 'number' ? line.time : Date.parse(String(line.time))) - killedAt,
                ...line,
                message: undefined,
                level: undefined,
              })),
          ),
        },
      });
      expect(requestingAtKill.length).toBeGreaterThan(0);
      expect(stack.workers.filter((worker) => worker.running)).toHaveLength(2);
      // The pace held through the kill and the restart (the slots live in Redis, and a stranded text goes again through one).
      expect(pace.filter(({ refusedOnWorkersClock, mostIn5Seconds }) => refusedOnWorkersClock > 0 || mostIn5Seconds > MOST_IN_5_SECONDS)).toEqual([]);
    }, 200_000);
  });
});
