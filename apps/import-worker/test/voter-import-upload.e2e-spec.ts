import { readdirSync } from 'node:fs';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { type JobEnvelope, JobName, JobResult, QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { MembershipRole } from '@app/identity';
import { createTestContext, IdentityFactory, type SignedInAgent, signInAs, type TestContext, waitUntil } from '@app/testing';
import { NCVOTER_COLUMNS, NcvoterSyntheticGenerator } from '@app/voter-file';
import { createApiApplication } from '../../api/src/api-application.factory';
import { ImportWorkerModule } from '../src/import-worker.module';
import { ImportsQueueProcessor } from '../src/imports-queue.processor';

describe('a voter file uploaded to the api and imported by the import worker', () => {
  let context: TestContext;
  let api: INestApplication;
  let worker: INestApplicationContext;
  let slug: string;
  let lead: SignedInAgent;

  beforeAll(async () => {
    context = await createTestContext();
    const options = { config: context.config, endpoints: context.endpoints };
    worker = await createWorkerContext(ImportWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
    api = await createApiApplication({ ...options, logDestination: new RecordingLogDestination() });
    await api.init();
    await worker.get(QueueWorkerLifecycle).start('import-worker', [QueueName.Imports]);
    const alliance = await new IdentityFactory(worker.get(DataSource)).alliance();
    slug = alliance.slug;
    lead = await signInAs(server(), worker.get(DataSource), [{ allianceId: alliance.id, organizationId: null, role: MembershipRole.DataLead }]);
  });

  afterAll(async () => {
    await worker.close();
    await api.close();
    await context.dispose();
  });

  const server = () => api.getHttpServer() as Parameters<typeof request>[0];
  const uploads = (): string[] => readdirSync(context.config.voterFiles.uploadDirectory);
  const generatedFile = (rows: number, seed: number): Buffer => Buffer.from(`${[...new NcvoterSyntheticGenerator({ rows, seed }).lines()].join('\n')}\n`);

  it('should stream the upload to disk, import it in the worker with progress, list its problems and delete the upload', async () => {
    const accepted = await lead.agent
      .post('/api/voter-imports')
      .set('X-CSRF-Token', lead.csrfToken)
      .field('alliance', slug)
      .field('maxErrorRate', '0.05')
      .attach('file', generatedFile(3_000, 4), 'ncvoter_wake.txt')
      .expect(202);
    expect(accepted.body).toMatchObject({ fileName: 'ncvoter_wake.txt', status: 'queued', phase: 'queued', percent: 0 });

    const done = await waitUntil(async () => {
      const response = await lead.agent.get(`/api/voter-imports/${accepted.body.id as string}`).expect(200);
      return response.body.phase === 'done' ? (response.body as Record<string, unknown>) : undefined;
    }, 'the import to finish');

    expect(done).toMatchObject({ status: 'succeeded', format: 'ncvoter', percent: 100, rowsRead: 3000, inserted: 3000, rejected: 0, errorMessage: null });
    expect(done.rowsPerSecond).toEqual(expect.any(Number));
    expect(done.errorCount).toBeGreaterThan(0);
    const [{ count }] = (await worker.get(DataSource).query('SELECT count(*)::int AS count FROM voter')) as Array<{ count: number }>;
    expect(count).toBe(3000);

    const firstPage = await lead.agent.get(`/api/voter-imports/${accepted.body.id as string}/errors?limit=5`).expect(200);
    expect(firstPage.body.errors).toHaveLength(5);
    expect(firstPage.body.errors[0]).toEqual({
      lineNumber: expect.any(Number),
      column: 'full_phone_number',
      reason: expect.stringMatching(/^phone dropped/),
      kind: 'dropped',
    });
    const secondPage = await lead.agent
      .get(`/api/voter-imports/${accepted.body.id as string}/errors?limit=5&after=${firstPage.body.nextCursor as string}`)
      .expect(200);
    expect(secondPage.body.errors[0].lineNumber).toBeGreaterThan(firstPage.body.errors[4].lineNumber);

    const list = await lead.agent.get(`/api/voter-imports?alliance=${slug}`).expect(200);
    expect(list.body.imports.map((item: { id: string }) => item.id)).toContain(accepted.body.id);
    expect(uploads()).toEqual([]);
  });

  it.each([
    [{ format: 'texas' }, 'format must be one of ncvoter, ncvhis, ohio, california, generic'],
    [{ maxErrorRate: 'most' }, 'maxErrorRate must be a share between 0 and 1, such as 0.01 for 1%'],
    [{ format: 'generic', mapping: '{not json' }, 'mapping is not valid JSON'],
    [{ format: 'generic', mapping: '{"columns": {"ID": "shoeSize"}}' }, 'shoeSize'],
    [{ alliance: 'atlantis' }, 'There is no alliance "atlantis"'],
  ])('should refuse %j with a 400 naming the problem, and keep nothing of the upload', async (fields, message) => {
    const before = uploads();
    let upload = lead.agent.post('/api/voter-imports').set('X-CSRF-Token', lead.csrfToken);
    for (const [name, value] of Object.entries({ alliance: slug, ...fields })) upload = upload.field(name, value);
    const response = await upload.attach('file', generatedFile(10, 1), 'f.txt');

    expect([400, 404]).toContain(response.status);
    expect(response.body.message).toContain(message);
    expect(uploads()).toEqual(before);
  });

  it('should ask for the file when none is sent', async () => {
    const response = await lead.agent.post('/api/voter-imports').set('X-CSRF-Token', lead.csrfToken).field('alliance', slug).expect(400);
    expect(response.body.message).toBe('Send the voter file as the multipart field named "file"');
  });

  it('should show a rejected file as rejected, with the reason', async () => {
    const header = NCVOTER_COLUMNS.filter((column) => column !== 'ncid');
    const accepted = await lead.agent
      .post('/api/voter-imports')
      .set('X-CSRF-Token', lead.csrfToken)
      .field('alliance', slug)
      .field('format', 'ncvoter')
      .attach('file', Buffer.from(`${header.join('\t')}\n`), 'broken.txt')
      .expect(202);
    const done = await waitUntil(async () => {
      const response = await lead.agent.get(`/api/voter-imports/${accepted.body.id as string}`).expect(200);
      return response.body.phase === 'done' ? (response.body as Record<string, unknown>) : undefined;
    }, 'the import to finish');
    expect(done).toMatchObject({ status: 'rejected', errorMessage: expect.stringContaining('missing the column(s) ncid') });
  });

  it('should have one effect when the processor runs the same job twice', async () => {
    const accepted = await lead.agent
      .post('/api/voter-imports')
      .set('X-CSRF-Token', lead.csrfToken)
      .field('alliance', slug)
      .attach('file', generatedFile(50, 9), 'twice.txt')
      .expect(202);
    const id = accepted.body.id as string;
    await waitUntil(async () => ((await lead.agent.get(`/api/voter-imports/${id}`)).body.phase === 'done' ? true : undefined), 'the import to finish');
    const dataSource = worker.get(DataSource);
    const snapshot = async () => (await dataSource.query(`SELECT md5(string_agg(v::text, '|' ORDER BY v.id)) AS digest FROM voter v`)) as unknown;
    const before = await snapshot();
    const job = {
      id: `voter-import-${id}`,
      name: JobName.VoterImport,
      attemptsMade: 0,
      data: { payload: { importId: id }, correlationId: 'corr-twice' },
    } as Job<JobEnvelope>;

    expect(await worker.get(ImportsQueueProcessor).process(job)).toBe(JobResult.Skipped);
    expect(await worker.get(ImportsQueueProcessor).process(job)).toBe(JobResult.Skipped);
    expect(await snapshot()).toEqual(before);
  });
});
