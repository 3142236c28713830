import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult, QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createTestContext, IdentityFactory, type TestContext, waitUntil } from '@app/testing';
import { ImportWorkerModule } from '../src/import-worker.module';
import { ProgressQueueProcessor } from '../src/progress-queue.processor';
import { PROGRESS_RECONCILE_SCHEDULER_ID, PROGRESS_ROLLUP_SCHEDULER_ID, ProgressScheduler } from '../src/progress.scheduler';

/** The progress queue in the import worker: its jobs run twice with one effect, and a consuming worker counts a saved attempt by itself. */
describe('progress jobs in the import worker', () => {
  let context: TestContext;
  let worker: INestApplicationContext;
  let sql: DataSource;
  let allianceId: string;
  let organizationId: string;
  let campaignId: string;
  let voters = 0;

  const processTwice = async (name: JobName, payload: Record<string, string>): Promise<JobResult[]> => {
    const job = { id: `${name}-again`, name, attemptsMade: 0, data: { payload, correlationId: 'corr-twice' } } as unknown as Job<JobEnvelope>;
    const processor = worker.get(ProgressQueueProcessor);
    return [await processor.process(job), await processor.process(job)];
  };
  const allianceTotal = async (): Promise<{ attempts: number; reached: number } | undefined> =>
    (
      await sql.query(
        `SELECT attempts::int, voters_reached::int AS reached FROM progress_cell WHERE scope_kind = 'alliance' AND scope_id = $1 AND dimension = 'total'`,
        [allianceId],
      )
    )[0];

  /** A saved call: a contacted voter (a conversation), as the phone bank writes it. */
  async function saveContactedCall(): Promise<void> {
    voters += 1;
    const phone = `+1510555${String(voters).padStart(4, '0')}`;
    const [{ id: contactId }] = await sql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids)
       VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint]) RETURNING id`,
      [allianceId, campaignId, organizationId, phone, voters],
    );
    await sql.query(
      `INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition, script_version, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'phone', gen_random_uuid(), 'contacted', 1, now())`,
      [allianceId, campaignId, organizationId, contactId, voters, phone],
    );
  }

  beforeAll(async () => {
    context = await createTestContext();
    worker = await createWorkerContext(
      ImportWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
    );
    sql = worker.get(DataSource);
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    organizationId = (await identity.anchor(allianceId)).id;
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status) VALUES ($1, 'progress-jobs', 'Progress jobs', $2, 'active') RETURNING id`,
      [allianceId, organizationId],
    );
  });

  afterAll(async () => {
    await worker?.close();
    await context?.dispose();
  });

  it('should count queued attempts once when its rollup job runs twice, and reconcile twice finding no drift', async () => {
    await saveContactedCall();
    await saveContactedCall();
    expect(await processTwice(JobName.ProgressRollup, {})).toEqual([JobResult.Success, JobResult.Skipped]);
    expect(await allianceTotal()).toEqual({ attempts: 2, reached: 2 });

    expect(await processTwice(JobName.ProgressReconcile, { allianceId })).toEqual([JobResult.Success, JobResult.Success]);
    const reports: { drifted: number }[] = await sql.query(
      `SELECT drifted_cells AS drifted FROM progress_reconciliation WHERE alliance_id = $1 ORDER BY started_at`,
      [allianceId],
    );
    expect(reports).toEqual([{ drifted: 0 }, { drifted: 0 }]);
    expect(await allianceTotal()).toEqual({ attempts: 2, reached: 2 });
  });

  it('should keep the rollup and the reconciliation scheduled, and count a saved call by itself within seconds', async () => {
    await worker.get(ProgressScheduler).start();
    const queue = worker.get<Queue>(getQueueToken(QueueName.Progress), { strict: false });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every]).sort()).toEqual([
      [PROGRESS_RECONCILE_SCHEDULER_ID, 3_600_000],
      [PROGRESS_ROLLUP_SCHEDULER_ID, 1_000],
    ]);
    await worker.get(QueueWorkerLifecycle).start('import-worker', [QueueName.Imports, QueueName.Progress]);
    await saveContactedCall();
    await waitUntil(async () => ((await allianceTotal())?.attempts === 3 ? true : undefined), 'the scheduled rollup to count the saved call');
    expect(await allianceTotal()).toEqual({ attempts: 3, reached: 3 });
  });
});
