import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import type { Job } from 'bullmq';
import { type JobEnvelope, JobName, JobResult, MissingJobHandlerError, QueueName, QueueWorkerLifecycle } from '@app/queue';
import { CoreModule, createWorkerContext } from '@app/runtime';
import { createTestContext, type TestContext, waitUntil } from '@app/testing';
import { createApiApplication } from '../../api/src/api-application.factory';
import { ImportWorkerModule } from '../../import-worker/src/import-worker.module';
import { SmsWorkerModule } from '../../sms-worker/src/sms-worker.module';
import { DialerQueueProcessor } from '../src/dialer-queue.processor';
import { DialerWorkerModule } from '../src/dialer-worker.module';

interface ProbeRow {
  queue_name: string;
  status: string;
  processed_at: Date | null;
  correlation_id: string;
}

describe('a job enqueued by the api and processed by the workers', () => {
  let context: TestContext;
  let api: INestApplication;
  let dialer: INestApplicationContext;
  let sms: INestApplicationContext;
  let imports: INestApplicationContext;
  const workerLogs = new RecordingLogDestination();

  beforeAll(async () => {
    context = await createTestContext();
    const options = { config: context.config, endpoints: context.endpoints };
    // nestjs-pino builds one root logger per process, from the first logger module created: the dialer's.
    dialer = await createWorkerContext(DialerWorkerModule.forRoot({ ...options, logDestination: workerLogs }));
    sms = await createWorkerContext(SmsWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
    imports = await createWorkerContext(ImportWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
    api = await createApiApplication({ ...options, logDestination: new RecordingLogDestination() });
    await api.init();
    await dialer.get(QueueWorkerLifecycle).start('dialer-worker', [QueueName.Dialer]);
    await sms.get(QueueWorkerLifecycle).start('sms-worker', [QueueName.Sms]);
    await imports.get(QueueWorkerLifecycle).start('import-worker', [QueueName.Imports, QueueName.Progress]);
  });

  afterAll(async () => {
    await dialer.close();
    await sms.close();
    await imports.close();
    await api.close();
    await context.dispose();
  });

  const probeRows = (batchId: string): Promise<ProbeRow[]> =>
    api.get(DataSource).query('SELECT queue_name, status, processed_at, correlation_id FROM queue_probe WHERE batch_id = $1 ORDER BY queue_name', [batchId]);

  it('should be processed once, with the request correlation id in the worker log line', async () => {
    const started = await request(api.getHttpServer()).post('/api/system/queue-probes').set('x-correlation-id', 'corr-probe-0001').expect(202);
    const batchId = started.body.batchId as string;
    expect(started.body.probes).toHaveLength(4);

    const batch = await waitUntil(async () => {
      const response = await request(api.getHttpServer()).get(`/api/system/queue-probes/${batchId}`).expect(200);
      return response.body.complete ? response.body : undefined;
    }, 'every worker to consume the probe');
    expect(batch.probes.map((probe: { queue: string }) => probe.queue)).toEqual(['dialer', 'imports', 'progress', 'sms']);

    const rows = await probeRows(batchId);
    expect(rows.every((row) => row.status === 'processed' && row.correlation_id === 'corr-probe-0001')).toBe(true);

    const finished = workerLogs
      .entries()
      .filter((entry) => entry.message === 'job finished' && entry.queue === 'dialer' && entry.jobId === `queue-probe-${batch.probes[0].id}`);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ correlationId: 'corr-probe-0001', result: JobResult.Success, service: 'dialer-worker' });
  });

  it('should have one effect when the processor runs the same job twice', async () => {
    const dataSource = api.get(DataSource);
    const [{ id }] = (await dataSource.query(
      `INSERT INTO queue_probe (batch_id, queue_name, correlation_id) VALUES (gen_random_uuid(), 'dialer', 'corr-twice') RETURNING id`,
    )) as Array<{ id: string }>;
    // The same delivery twice, as after a crash between doing the work and acknowledging it.
    const job = {
      id: `queue-probe-${id}`,
      name: JobName.DialerQueueProbe,
      attemptsMade: 0,
      data: { payload: { probeId: id }, correlationId: 'corr-twice' },
    } as Job<JobEnvelope>;
    const processor = dialer.get(DialerQueueProcessor);

    expect(await processor.process(job)).toBe(JobResult.Success);
    const [afterFirst] = (await dataSource.query('SELECT status, processed_at, processed_by FROM queue_probe WHERE id = $1', [id])) as ProbeRow[];
    expect(await processor.process(job)).toBe(JobResult.Skipped);
    const [afterSecond] = (await dataSource.query('SELECT status, processed_at, processed_by FROM queue_probe WHERE id = $1', [id])) as ProbeRow[];

    expect(afterFirst).toMatchObject({ status: 'processed' });
    expect(afterSecond).toEqual(afterFirst);
  });
});

describe('a worker missing a job handler', () => {
  it('should refuse to start, naming the job', async () => {
    const context = await createTestContext();
    @Injectable()
    class Unrelated {}
    @Module({
      imports: [
        CoreModule.forRoot({
          config: context.config,
          endpoints: context.endpoints,
          serviceName: 'incomplete-worker',
          logDestination: new RecordingLogDestination(),
        }),
      ],
      providers: [DialerQueueProcessor, Unrelated],
    })
    class IncompleteWorkerModule {}
    const app = await NestFactory.createApplicationContext(IncompleteWorkerModule, { logger: false });
    try {
      await expect(app.get(QueueWorkerLifecycle).start('incomplete-worker', [QueueName.Dialer])).rejects.toThrow(MissingJobHandlerError);
      await expect(app.get(QueueWorkerLifecycle).start('incomplete-worker', [QueueName.Dialer])).rejects.toThrow('"dialer.queue-probe"');
    } finally {
      await app.close();
      await context.dispose();
    }
  });
});
