import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecordingLogDestination } from '@app/observability';
import { JobName, JobProducer, JobResult, QueueName, QueueProbeService, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createTestContext, type TestContext, waitUntil, withAdminClient } from '@app/testing';
import { DialerWorkerModule } from '../src/dialer-worker.module';

describe('a worker shutting down with a job in progress', () => {
  let context: TestContext;
  let worker: INestApplicationContext;
  const logs = new RecordingLogDestination();

  beforeAll(async () => {
    context = await createTestContext();
    worker = await createWorkerContext(DialerWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: logs }));
    await worker.get(QueueWorkerLifecycle).start('dialer-worker', [QueueName.Dialer]);
  });

  afterAll(() => context.dispose());

  it('should finish the job, with the database still open, before it exits', async () => {
    const probes = worker.get(QueueProbeService);
    const markProcessed = probes.markProcessed.bind(probes);
    let started = false;
    jest.spyOn(probes, 'markProcessed').mockImplementation(async (probeId, workerName) => {
      started = true;
      await sleep(800); // still running when the shutdown begins
      return markProcessed(probeId, workerName);
    });
    const [{ id }] = (await worker
      .get(DataSource)
      .query(`INSERT INTO queue_probe (batch_id, queue_name, correlation_id) VALUES (gen_random_uuid(), 'dialer', 'corr-drain') RETURNING id`)) as Array<{
      id: string;
    }>;
    await worker.get(JobProducer).enqueue(JobName.DialerQueueProbe, { probeId: id });
    await waitUntil(async () => (started ? true : undefined), 'the job to start');

    await worker.close();

    const rows = await withAdminClient(
      context.config.database.url!,
      async (client) => (await client.query('SELECT status FROM queue_probe WHERE id = $1', [id])).rows,
    );
    expect(rows).toEqual([{ status: 'processed' }]);
    const entries = logs.entries();
    expect(entries.some((entry) => entry.message === 'job failed')).toBe(false);
    expect(entries.find((entry) => entry.message === 'job finished')).toMatchObject({ result: JobResult.Success });
    expect(entries.map((entry) => entry.message)).toContain('workers drained');
  });
});
