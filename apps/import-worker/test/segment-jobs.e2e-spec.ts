import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { Pool } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult, QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { loadVoterTruth, pollCsv, samplePoll } from '@app/segments/synthetic-poll';
import { createTestContext, IdentityFactory, type SignedInAgent, signInAs, type TestContext, waitUntil } from '@app/testing';
import { NcvoterSyntheticGenerator } from '@app/voter-file';
import { createApiApplication } from '../../api/src/api-application.factory';
import { ImportWorkerModule } from '../src/import-worker.module';
import { ImportsQueueProcessor } from '../src/imports-queue.processor';

describe('segment jobs in the import worker', () => {
  let context: TestContext;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let sql: DataSource;
  let allianceId: string;
  let lead: SignedInAgent;

  beforeAll(async () => {
    context = await createTestContext();
    const options = { config: context.config, endpoints: context.endpoints };
    worker = await createWorkerContext(ImportWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
    api = await createApiApplication({ ...options, logDestination: new RecordingLogDestination() });
    await api.init();
    await worker.get(QueueWorkerLifecycle).start('import-worker', [QueueName.Imports]);
    sql = worker.get(DataSource);
    allianceId = (await new IdentityFactory(sql).alliance()).id;
    lead = await signInAs(api.getHttpServer() as Parameters<typeof request>[0], sql, [{ allianceId, organizationId: null, role: MembershipRole.DataLead }]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await context?.dispose();
  });

  const post = (path: string) => lead.agent.post(path).set('X-CSRF-Token', lead.csrfToken);
  const processTwice = async (name: JobName, payload: Record<string, string>): Promise<JobResult[]> => {
    const job = { id: `${name}-again`, name, attemptsMade: 0, data: { payload, correlationId: 'corr-twice' } } as unknown as Job<JobEnvelope>;
    const processor = worker.get(ImportsQueueProcessor);
    return [await processor.process(job), await processor.process(job)];
  };
  const assignmentsDigest = async (): Promise<unknown> =>
    (await sql.query(`SELECT count(*)::int AS rows, md5(string_agg(a::text, '|' ORDER BY a.voter_id)) AS digest FROM segment_assignment a`))[0];

  async function importThroughWorker(rows: number, seed: number): Promise<string> {
    const file = Buffer.from(`${[...new NcvoterSyntheticGenerator({ rows, seed }).lines()].join('\n')}\n`);
    const accepted = await post('/api/voter-imports').field('maxErrorRate', '0.05').attach('file', file, 'ncvoter.txt').expect(202);
    const id = accepted.body.id as string;
    await waitUntil(async () => ((await lead.agent.get(`/api/voter-imports/${id}`)).body.phase === 'done' ? true : undefined), 'the import to finish');
    return id;
  }

  it('should train, apply, and classify a later import in the worker, and do nothing more when each job runs again', async () => {
    await importThroughWorker(2500, 31);
    const pool = new Pool({ connectionString: context.endpoints.databaseUrl, max: 1 });
    const poll = await loadVoterTruth(pool, allianceId)
      .then((truth) => pollCsv(samplePoll(truth, 800, 3).rows))
      .finally(() => pool.end());

    const uploaded = await post('/api/segment-models/trained').attach('poll', Buffer.from(poll), 'poll.csv').expect(202);
    const modelId = uploaded.body.id as string;
    const model = await waitUntil(async () => {
      const body = (await lead.agent.get(`/api/segment-models/${modelId}`)).body as { status: string; version: number };
      return ['ready', 'failed'].includes(body.status) ? body : undefined;
    }, 'the training job');
    expect(model.status).toBe('ready');
    const definition = (await sql.query(`SELECT definition FROM segment_model WHERE id = $1`, [modelId]))[0].definition;
    expect(await processTwice(JobName.SegmentModelTraining, { modelId })).toEqual([JobResult.Skipped, JobResult.Skipped]);
    expect((await sql.query(`SELECT definition FROM segment_model WHERE id = $1`, [modelId]))[0].definition).toEqual(definition);

    const requested = await post(`/api/segment-models/${modelId}/applications`).expect(202);
    const applicationId = requested.body.id as string;
    const applied = await waitUntil(async () => {
      const body = (await lead.agent.get(`/api/segment-applications/${applicationId}`)).body as { status: string; votersDone: number };
      return ['succeeded', 'failed'].includes(body.status) ? body : undefined;
    }, 'the apply job');
    const [{ active }] = await sql.query(`SELECT count(*)::int AS active FROM voter WHERE alliance_id = $1 AND active`, [allianceId]);
    expect(applied).toMatchObject({ status: 'succeeded', votersDone: active });
    const afterApply = await assignmentsDigest();
    expect(await processTwice(JobName.SegmentApplication, { applicationId })).toEqual([JobResult.Skipped, JobResult.Skipped]);
    expect(await assignmentsDigest()).toEqual(afterApply);

    // A later import (its ids overlap the first file's, so it changes voters): its job enqueues
    // the classification of its changed voters, which the worker runs.
    const importId = await importThroughWorker(300, 32);
    const queue = worker.get<Queue>(getQueueToken(QueueName.Imports), { strict: false });
    const classification = await waitUntil(async () => {
      const job = await queue.getJob(`segment-import-classification-${importId}`);
      return job?.finishedOn ? job : undefined;
    }, 'the import classification job');
    expect(classification.returnvalue).toBe(JobResult.Success);
    const [{ changed, stale }] = await sql.query(
      `SELECT count(*)::int AS changed, count(*) FILTER (WHERE sa.voter_id IS NULL)::int AS stale
       FROM voter v LEFT JOIN segment_assignment sa ON sa.model_id = $2 AND sa.voter_id = v.id WHERE v.alliance_id = $1 AND v.last_import_id = $3`,
      [allianceId, modelId, importId],
    );
    expect(changed).toBeGreaterThan(0);
    expect(stale).toBe(0);
    const afterImport = await assignmentsDigest();
    expect(await processTwice(JobName.SegmentImportClassification, { importId })).toEqual([JobResult.Success, JobResult.Success]);
    expect(await assignmentsDigest()).toEqual(afterImport);
  });
});
