import { createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isolatedProcessEnvironment } from '@app/config';
import { RecordingLogDestination } from '@app/observability';
import { createOwnerApplication, type SignedInAgent, type WorkerProcess } from '@app/testing';
import type { ScenarioInput } from '../apps/carrier-sim/src';
import { createApiApplication } from '../apps/api/src/api-application.factory';
import { fillCallList, seedMemberWithVoters } from './campaign-seed.util';
import { startCarrierContext } from './carrier-context.util';
import { startScheduledWorker, type WorkerProcessStack } from './scheduled-worker.util';

export const SMS_WORKER_SCRIPT = 'dist/apps/sms-worker/src/main.js';

/** One Create Message request as it went from a worker to the carrier, timed here to the millisecond (Twilio's dates keep whole seconds). */
export interface CarrierRequest {
  readonly to: string;
  readonly from: string;
  readonly body: string;
  /** When the request left for the carrier (epoch ms): the carrier created the text, if it did, after this. */
  readonly forwardedAt: number;
  /** The carrier's answer: 201 with the text's sid, or its refusal. */
  readonly status: number;
  readonly sid: string | null;
  readonly errorCode: number | null;
}

/**
 * What sits between the sms workers and the carrier: a network with latency. Each Create Message
 * request waits `delayMs` before it is forwarded (so texts stay `requesting` long enough for a test
 * to `kill -9` a worker in the middle of one), and every request is recorded with the moment it was
 * forwarded. A request whose worker died during the wait reached the carrier anyway every other
 * time (the carrier had it, or never got it): the two cases the sweep must tell apart.
 */
export class LatentCarrierLink {
  readonly requests: CarrierRequest[] = [];
  /** Requests whose worker was gone before the carrier answered: forwarded anyway, or dropped. */
  readonly orphaned = { forwarded: 0, dropped: 0 };
  private server: Server | undefined;
  private delay = { min: 0, max: 0 };
  private port = 0;

  constructor(private readonly target: URL) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setDelay(delay: { min: number; max: number }): void {
    this.delay = delay;
  }

  async start(): Promise<void> {
    const server = createServer((incoming, outgoing) => void this.relay(incoming, outgoing));
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', () => resolveListen()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  }

  private async relay(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const creates = incoming.method === 'POST' && /\/Messages\.json$/.test(incoming.url ?? '');
    let clientGone = false;
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) clientGone = true;
    });
    if (creates && this.delay.max > 0) {
      await new Promise((resolveLater) => setTimeout(resolveLater, this.delay.min + Math.random() * (this.delay.max - this.delay.min)));
      if (clientGone) {
        // Half of the orphans never reach the carrier (the connection broke first); half do.
        if ((this.orphaned.forwarded + this.orphaned.dropped) % 2 === 1) {
          this.orphaned.dropped += 1;
          return;
        }
        this.orphaned.forwarded += 1;
      }
    }
    const forwardedAt = Date.now();
    const upstream = httpRequest(
      { host: this.target.hostname, port: Number(this.target.port), method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        answer.on('end', () => {
          const answerBody = Buffer.concat(answerChunks);
          if (creates) this.record(body, answer.statusCode ?? 0, answerBody, forwardedAt);
          if (!outgoing.destroyed) {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(answerBody);
          }
        });
      },
    );
    upstream.on('error', () => {
      if (!outgoing.destroyed) outgoing.destroy();
    });
    upstream.end(body);
  }

  private record(requestBody: Buffer, status: number, answerBody: Buffer, forwardedAt: number): void {
    const form = new URLSearchParams(requestBody.toString('utf8'));
    let answer: { sid?: string; code?: number } = {};
    try {
      answer = JSON.parse(answerBody.toString('utf8')) as { sid?: string; code?: number };
    } catch {
      // A non-JSON answer is kept with its status alone.
    }
    this.requests.push({
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      forwardedAt,
      status,
      sid: status === 201 ? (answer.sid ?? null) : null,
      errorCode: status === 201 ? null : (answer.code ?? null),
    });
  }
}

/**
 * Texting as it runs in production, minus the browser: the carrier simulator and the api in this
 * process (the api on a real port, so the carrier's signed callbacks and inbound texts reach its
 * webhooks over HTTP), and sms workers as real child processes of the built `dist/` (so a test can
 * `kill -9` one), reaching the carrier through a `LatentCarrierLink`. Nothing holds any clock: the
 * workers judge the voters' windows by the real time.
 */
export interface TextingStack extends WorkerProcessStack {
  readonly link: LatentCarrierLink;
}

export interface TextingStackOptions {
  readonly scenario: ScenarioInput;
  /** Each sending number's pace in the workers (SMS_SENDER_MESSAGES_PER_SECOND). */
  readonly senderMessagesPerSecond: number;
}

export async function startTextingStack(options: TextingStackOptions): Promise<TextingStack> {
  const { simulator, simulatorUrl, context, apiPort, baseUrl } = await startCarrierContext({
    simulator: {
      callsPerSecond: 50,
      scenario: options.scenario,
      // Twilio waits 15 s; a machine shared with other test files can be slower than that, and a test should report it, not lose the STOP.
      callbackTimeoutMs: 60_000,
    },
    environment: { DATABASE_POOL_SIZE: '10' },
    inboundTexts: true,
  });
  const link = new LatentCarrierLink(new URL(simulatorUrl));
  let startedOwner: INestApplicationContext | undefined;
  try {
    await link.start();
    // The owner application first: Nest's static Logger writes to the last application created.
    const owner = await createOwnerApplication(context);
    startedOwner = owner;
    const api = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
    await api.listen(apiPort, '127.0.0.1');
    const workers: WorkerProcess[] = [];
    const environment = isolatedProcessEnvironment({
      DATABASE_URL: context.config.database.url,
      REDIS_URL: context.config.redis.url,
      QUEUE_PREFIX: context.config.queue.prefix,
      CARRIER_SIM_URL: link.url,
      PUBLIC_BASE_URL: baseUrl,
      API_PORT: String(apiPort),
      DATA_DIR: context.temporaryDirectory,
      DATABASE_POOL_SIZE: '12',
      WORKER_CONCURRENCY: '24',
      SMS_SENDER_MESSAGES_PER_SECOND: String(options.senderMessagesPerSecond),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    });
    const startWorker = (label = `sms-worker-${workers.length + 1}`): Promise<WorkerProcess> =>
      startScheduledWorker({ context, script: SMS_WORKER_SCRIPT, environment, label, schedulerId: 'sms-sweep', workers });
    return {
      context,
      api,
      simulator,
      link,
      sql: owner.get(DataSource),
      baseUrl,
      workers,
      startWorker,
      dispose: async () => {
        await Promise.all(workers.map((worker) => worker.stop(5_000)));
        await api.close();
        await link.stop();
        await simulator.close();
        await owner.close();
        await context.dispose();
      },
    };
  } catch (error) {
    // A stack that did not start leaves nothing listening (jest would not exit).
    await startedOwner?.close();
    await context.dispose();
    await link.stop();
    await simulator.close();
    throw error;
  }
}

function localMinuteIn(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return Number(parts.find((part) => part.type === 'hour')?.value) * 60 + Number(parts.find((part) => part.type === 'minute')?.value);
}

const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

/**
 * Up to `count` zones with distinct UTC offsets where it is now between 10:00 and 19:00 (a 09:00-20:00
 * window stays open for the whole test), US zones first, then any.
 */
export function zonesInDaytimeNow(count: number, now = new Date()): string[] {
  const chosen: string[] = [];
  const offsets = new Set<number>();
  for (const zone of [...US_ZONES, ...Intl.supportedValuesOf('timeZone')]) {
    const minute = localMinuteIn(zone, now);
    const offset = (minute - (now.getUTCHours() * 60 + now.getUTCMinutes()) + 1440) % 1440;
    if (minute < 10 * 60 || minute >= 19 * 60 || offsets.has(offset)) continue;
    offsets.add(offset);
    chosen.push(zone);
    if (chosen.length === count) break;
  }
  if (chosen.length === 0) throw new Error(`no time zone is between 10:00 and 19:00 at ${now.toISOString()}`);
  return chosen;
}

/** A zone where it is now night (21:30 to 07:00, so the texting window stays shut for the test), US zones first. */
export function zoneAtNightNow(now = new Date()): string {
  for (const zone of [...US_ZONES, ...Intl.supportedValuesOf('timeZone')]) {
    const minute = localMinuteIn(zone, now);
    if (minute >= 21 * 60 + 30 || minute < 7 * 60) return zone;
  }
  throw new Error(`no time zone is at night at ${now.toISOString()}`);
}

/** The next instant after `now` at which the zone's clock reads `startMinute` (a window's opening), found minute by minute. */
export function nextOpening(zone: string, startMinute: number, now = new Date()): Date {
  let at = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  for (let step = 0; step < 2 * 1440; step += 1) {
    if (localMinuteIn(zone, at) === startMinute) return at;
    at = new Date(at.getTime() + 60_000);
  }
  throw new Error(`${zone} never reads ${startMinute} minutes past midnight`);
}

export interface TextingCampaign {
  readonly allianceId: string;
  readonly memberId: string;
  readonly campaignId: string;
  readonly sendingNumbers: readonly string[];
}

export interface TextingCampaignOptions {
  /** Call-list rows wanted (one per phone: voters of a household share one). */
  readonly contacts: number;
  readonly sendingNumbers: readonly string[];
  readonly seed: number;
  readonly initialTemplate: string;
  /** Phones each shared by three voters of a household (one call-list row, one text). */
  readonly sharedPhones?: number;
}

/**
 * A new alliance with an active text campaign of exactly `contacts` call-list rows (09:00-20:00),
 * built as the demo seeds it: voters from the real import, a turf of all of them, the call list
 * refreshed (one row per phone, so a household's voters share one). Zones are set by the caller.
 */
export async function seedTextingCampaign(stack: TextingStack, options: TextingCampaignOptions): Promise<TextingCampaign> {
  const { sql } = stack;
  const member = await seedMemberWithVoters(stack, { rows: Math.ceil(options.contacts * 1.6), seed: options.seed });
  if ((options.sharedPhones ?? 0) > 0) {
    // Households: each of the first voters lends its phone to the next two, so three voters share it.
    await sql.query(
      `WITH ranked AS (SELECT id, phones, row_number() OVER (ORDER BY id) - 1 AS n FROM voter WHERE alliance_id = $1 AND has_phone),
            lenders AS (SELECT id, phones, n FROM ranked WHERE n % 3 = 0 AND n < $2 * 3)
       UPDATE voter v SET phones = l.phones FROM ranked r JOIN lenders l ON r.n IN (l.n + 1, l.n + 2) WHERE v.id = r.id`,
      [member.allianceId, options.sharedPhones],
    );
  }
  const [{ id: campaignId }] = await sql.query(
    `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, calling_window_start, calling_window_end,
                           initial_message)
     VALUES ($1, 'texts', 'Texts', $2, 'active', 'sms', $3, '09:00', '20:00', $4) RETURNING id`,
    [member.allianceId, member.memberId, options.sendingNumbers, JSON.stringify({ template: options.initialTemplate, variants: [] })],
  );
  await fillCallList(stack, member, campaignId, options.contacts);
  return { allianceId: member.allianceId, memberId: member.memberId, campaignId, sendingNumbers: options.sendingNumbers };
}

/** A request that changes something, with the texter's CSRF token. */
export function post(texter: SignedInAgent, path: string): ReturnType<SignedInAgent['agent']['post']> {
  return texter.agent.post(path).set('X-CSRF-Token', texter.csrfToken);
}

/** Both answers to one initial text sent twice at once (a double click). */
export interface DoubleClick {
  readonly conversationId: string;
  readonly statuses: number[];
  readonly messageIds: Array<string | undefined>;
}

/**
 * Each texter asks for a batch (`perTexter` contacts), sends every initial text of it, one click each
 * over HTTP, and asks again until nobody is left, the texters in parallel; each texter's first one
 * is clicked twice at once. `onSent` sees each answer (status, body) as it comes.
 */
export async function sendAllInitials(
  stack: TextingStack,
  campaign: TextingCampaign,
  texters: readonly SignedInAgent[],
  perTexter: number,
  onSent: (conversationId: string, status: number, body: Record<string, unknown>) => void,
): Promise<{ doubleClicks: DoubleClick[]; batches: number[][] }> {
  const doubleClicks: DoubleClick[] = [];
  const batches = await Promise.all(
    texters.map(async (texter) => {
      const sizes: number[] = [];
      for (;;) {
        const assigned = await post(texter, `/api/texting/campaigns/${campaign.campaignId}/assignments`).send({ count: perTexter });
        if (assigned.status !== 201) throw new Error(`assignment refused: ${assigned.status} ${JSON.stringify(assigned.body)}`);
        const assignedCount = (assigned.body as { assignedCount: number }).assignedCount;
        if (assignedCount === 0) return sizes;
        sizes.push(assignedCount);
        const conversations: { id: string }[] = await stack.sql.query(
          `SELECT id FROM conversation WHERE campaign_id = $1 AND texter_user_id = $2 AND status = 'needs_message' ORDER BY campaign_contact_id`,
          [campaign.campaignId, texter.userId],
        );
        for (const conversation of conversations) {
          const clicks = sizes.length === 1 && conversation === conversations[0] ? 2 : 1;
          const answers = await Promise.all(Array.from({ length: clicks }, () => post(texter, `/api/texting/conversations/${conversation.id}/initial`)));
          if (clicks === 2) {
            doubleClicks.push({
              conversationId: conversation.id,
              statuses: answers.map((answer) => answer.status).sort(),
              messageIds: answers.map((answer) => (answer.body as { message?: { id: string } }).message?.id),
            });
          }
          const first = answers.find((answer) => answer.status === 201) ?? answers[0];
          onSent(conversation.id, first.status, first.body as Record<string, unknown>);
        }
      }
    }),
  );
  return { doubleClicks, batches };
}
