import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS, type RetryPolicy } from '@app/campaigns';
import { isolatedProcessEnvironment } from '@app/config';
import { RecordingLogDestination } from '@app/observability';
import { createOwnerApplication, type WorkerProcess } from '@app/testing';
import type { ScenarioInput } from '../apps/carrier-sim/src';
import { createApiApplication } from '../apps/api/src/api-application.factory';
import { fillCallList, seedMemberWithVoters } from './campaign-seed.util';
import { startCarrierContext } from './carrier-context.util';
import { startScheduledWorker, type WorkerProcessStack } from './scheduled-worker.util';

export const DIALER_WORKER_SCRIPT = 'dist/apps/dialer-worker/src/main.js';

/**
 * A mixed evening on a landline list, fast enough for a test: people who pick up and talk a few
 * seconds then hang up on their own, machines, numbers nobody answers, busy lines and a few that
 * fail, with the carrier's callbacks sometimes sent twice and sometimes overtaken by the next one.
 */
export const MIXED_EVENING: ScenarioInput = {
  seed: 7,
  weights: { human: 0.35, machine: 0.2, busy: 0.12, 'no-answer': 0.25, failed: 0.08 },
  timings: {
    connectMs: { min: 50, max: 250 },
    ringMs: { human: { min: 300, max: 1_500 }, machine: { min: 300, max: 1_500 }, busy: { min: 200, max: 600 }, 'no-answer': { min: 800, max: 2_000 } },
    greetingMs: { min: 200, max: 500 },
    talkMs: { human: { min: 1_500, max: 3_500 }, machine: { min: 300, max: 600 } },
    sayMsPerCharacter: 2,
    maxCallMs: 60_000,
  },
  amd: { humanGreetingMs: { min: 200, max: 400 }, machineVerdictMs: { min: 300, max: 600 } },
  duplicateRate: 0.2,
  outOfOrderRate: 0.2,
  lateMs: { min: 100, max: 1_500 },
  callbackDelayMs: { min: 0, max: 150 },
  lineTypes: { landline: 1 },
};

/** Short retries, so a voter nobody reached is called again within the test, and the attempts run out within it too. */
export const FAST_RETRIES: RetryPolicy = {
  not_home: { delayMinutes: 0, maxAttempts: 2 },
  voicemail: { delayMinutes: 0, maxAttempts: 2 },
  busy: { delayMinutes: 0, maxAttempts: 3 },
  call_back: { delayMinutes: 0, maxAttempts: 2 },
  language_needed: { delayMinutes: 0, maxAttempts: 2 },
};

/**
 * The dialer as it runs in production, minus the browser: the carrier simulator and the api in
 * this process (the api listening on a real port, so the carrier's signed callbacks and answer
 * requests reach it over HTTP), and dialer workers as real child processes of the built
 * `dist/` (so a test can `kill -9` one). Nothing holds any clock: the workers pace by the real
 * time, so the seeded voters live in a zone where it is now daytime.
 */
export type DialerStack = WorkerProcessStack;

export interface DialerStackOptions {
  readonly scenario?: ScenarioInput;
  /** The Redis the api and the workers use, e.g. one the test restarts; the run's own by default. */
  readonly redisUrl?: string;
  readonly callsPerSecond?: number;
}

export async function startDialerStack(options: DialerStackOptions = {}): Promise<DialerStack> {
  const { simulator, simulatorUrl, context, apiPort, baseUrl } = await startCarrierContext({
    simulator: { callsPerSecond: options.callsPerSecond ?? 50, scenario: options.scenario ?? MIXED_EVENING },
    environment: options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl },
  });
  // The owner application first: Nest's static Logger writes to the last application created.
  const owner: INestApplicationContext = await createOwnerApplication(context);
  const api = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
  await api.listen(apiPort, '127.0.0.1');
  const workers: WorkerProcess[] = [];
  const environment = isolatedProcessEnvironment({
    DATABASE_URL: context.config.database.url,
    REDIS_URL: context.config.redis.url,
    QUEUE_PREFIX: context.config.queue.prefix,
    CARRIER_SIM_URL: simulatorUrl,
    PUBLIC_BASE_URL: baseUrl,
    API_PORT: String(apiPort),
    DATA_DIR: context.temporaryDirectory,
    DATABASE_POOL_SIZE: '6',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  });
  const startWorker = (label = `dialer-worker-${workers.length + 1}`): Promise<WorkerProcess> =>
    startScheduledWorker({ context, script: DIALER_WORKER_SCRIPT, environment, label, schedulerId: 'dialer-pacing-sweep', workers });
  return {
    context,
    api,
    simulator,
    sql: owner.get(DataSource),
    baseUrl,
    workers,
    startWorker,
    dispose: async () => {
      await Promise.all(workers.map((worker) => worker.stop(5_000)));
      await api.close();
      await simulator.close();
      await owner.close();
      await context.dispose();
    },
  };
}

/** An IANA zone where it is now between 10:00 and 19:00 (so the 08:00-21:00 window stays open for the whole test), preferring US zones. */
export function zoneInDaytimeNow(now = new Date()): { zone: string; localMinute: number } {
  const preferred = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];
  const zones = [...preferred, ...Intl.supportedValuesOf('timeZone')];
  for (const zone of zones) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const hour = Number(parts.find((part) => part.type === 'hour')?.value);
    const minute = Number(parts.find((part) => part.type === 'minute')?.value);
    const localMinute = hour * 60 + minute;
    if (localMinute >= 10 * 60 && localMinute < 19 * 60) return { zone, localMinute };
  }
  throw new Error(`no time zone is between 10:00 and 19:00 at ${now.toISOString()}`);
}

export interface DialerCampaign {
  readonly allianceId: string;
  readonly anchorId: string;
  readonly memberId: string;
  readonly campaignId: string;
  readonly timeZone: string;
  readonly retryPolicy: RetryPolicy;
}

export interface DialerCampaignOptions {
  readonly voters: number;
  readonly dialMode?: 'power' | 'predictive';
  readonly powerLinesPerVolunteer?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly seed?: number;
}

/**
 * An active power (or predictive) campaign of exactly `voters` call-list rows, each a landline in a
 * zone where it is daytime now, with a calling window of 08:00-21:00, the given retry policy and
 * identification and voicemail messages. Voters come from the real import; the turf, the campaign
 * and the call list are written as the demo seeds them.
 */
export async function seedDialerCampaign(stack: DialerStack, options: DialerCampaignOptions): Promise<DialerCampaign> {
  const { sql } = stack;
  const member = await seedMemberWithVoters(stack, { rows: Math.ceil(options.voters * 1.6), seed: options.seed ?? 11 });
  const retryPolicy = options.retryPolicy ?? FAST_RETRIES;
  const [{ id: campaignId }] = await sql.query(
    `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, caller_ids, script, survey_questions, retry_policy,
                           calling_window_start, calling_window_end, power_lines_per_volunteer, calls_per_second, identification_message, voicemail_message)
     VALUES ($1, 'evening', 'Evening bank', $2, 'active', $3, '{+14155550123,+14155550124}', $4, $5, $6, '08:00', '21:00', $7, 20,
             'This was Crossroads calling about the election; call us back at 415-555-0100', 'Sorry we missed you, call 415-555-0100')
     RETURNING id`,
    [
      member.allianceId,
      member.memberId,
      options.dialMode ?? 'power',
      JSON.stringify(DEFAULT_CALL_SCRIPT),
      JSON.stringify(DEFAULT_SURVEY_QUESTIONS),
      JSON.stringify(retryPolicy),
      options.powerLinesPerVolunteer ?? 1,
    ],
  );
  await fillCallList(stack, member, campaignId, options.voters);
  const { zone } = zoneInDaytimeNow();
  await sql.query(`UPDATE campaign_contact SET time_zone = $2, line_type = 'landline', next_attempt_at = now() WHERE campaign_id = $1`, [campaignId, zone]);
  return { ...member, campaignId, timeZone: zone, retryPolicy };
}
