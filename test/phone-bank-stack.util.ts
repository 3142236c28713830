import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { RecordingLogDestination } from '@app/observability';
import { QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import type { TestContext } from '@app/testing';
import type { CarrierSimulator, ScenarioInput } from '../apps/carrier-sim/src';
import { createApiApplication } from '../apps/api/src/api-application.factory';
import { DialerWorkerModule } from '../apps/dialer-worker/src/dialer-worker.module';
import { startCarrierContext } from './carrier-context.util';

/** Noon in New York (the synthetic North Carolina voters' zone) on a weekday: inside every default calling window. */
export const NOON_EASTERN = new Date('2026-11-30T17:00:00Z');

/** Every callee a human who picks up quickly and stays on the line until hung up. */
export const HUMANS_WHO_STAY_ON: ScenarioInput = {
  weights: { human: 1, machine: 0, busy: 0, 'no-answer': 0, failed: 0 },
  timings: {
    connectMs: { min: 5, max: 10 },
    ringMs: { human: { min: 10, max: 20 }, machine: { min: 10, max: 20 }, busy: { min: 10, max: 20 }, 'no-answer': { min: 10, max: 20 } },
    detectionMs: { min: 5, max: 10 },
    talkMs: { human: null, machine: null },
  },
};

/**
 * Everything a phone bank runs on, in this process: the carrier simulator (reached through the
 * twilio SDK, calling back with signed callbacks), the api listening on a real port (HTTP, the
 * realtime WebSocket, the built console at /) and the dialer worker's queue. The api's clock is
 * held at noon Eastern, so the calling window is open whatever the hour of the run.
 */
export interface PhoneBankStack {
  readonly context: TestContext;
  readonly api: INestApplication;
  readonly worker: INestApplicationContext;
  readonly simulator: CarrierSimulator;
  /** Owner-level SQL (outside the row policies), to seed and to check what was stored. */
  readonly sql: DataSource;
  readonly baseUrl: string;
  readonly apiLogs: RecordingLogDestination;
  /** Moves the api's clock (noon Eastern until told otherwise). */
  setClock(instant: Date): void;
  dispose(): Promise<void>;
}

export async function startPhoneBankStack(scenario: ScenarioInput = HUMANS_WHO_STAY_ON): Promise<PhoneBankStack> {
  const { simulator, context, apiPort, baseUrl } = await startCarrierContext({ simulator: { callsPerSecond: 50, scenario } });
  const options = { config: context.config, endpoints: context.endpoints };
  const worker = await createWorkerContext(DialerWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
  const apiLogs = new RecordingLogDestination();
  const api = await createApiApplication({ ...options, logDestination: apiLogs });
  await api.listen(apiPort, '127.0.0.1');
  const clock = jest.spyOn(api.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
  await worker.get(QueueWorkerLifecycle).start('dialer-worker', [QueueName.Dialer]);
  return {
    context,
    api,
    worker,
    simulator,
    sql: worker.get(DataSource),
    baseUrl,
    apiLogs,
    setClock: (instant) => clock.mockReturnValue(instant),
    dispose: async () => {
      await worker.close();
      await api.close();
      await simulator.close();
      await context.dispose();
    },
  };
}

/** Turf of every voter of the alliance, cut by the anchor and assigned to the member for the campaign (as the demo seeds it, in SQL). */
export async function assignEveryVoterAsTurf(
  sql: DataSource,
  ids: { readonly allianceId: string; readonly anchorId: string; readonly memberId: string; readonly campaignId: string },
): Promise<void> {
  const [{ id: turfId }] = await sql.query(
    `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at)
     SELECT $1, $2, 'All', '{}', 'materialized', count(*), now() FROM voter WHERE alliance_id = $1 RETURNING id`,
    [ids.allianceId, ids.anchorId],
  );
  const [{ id: assignmentId }] = await sql.query(
    `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count)
     SELECT $1, $2, $3, $4, count(*) FROM voter WHERE alliance_id = $1 RETURNING id`,
    [ids.allianceId, ids.campaignId, turfId, ids.memberId],
  );
  await sql.query(
    `INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
     SELECT $1, id, alliance_id, $2, $3 FROM voter WHERE alliance_id = $4`,
    [ids.campaignId, ids.memberId, assignmentId, ids.allianceId],
  );
}
