import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Job, Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { clusterRedisEndpoints, ConfigValidationError, loadAppConfig } from '@app/config';
import { RecordingLogDestination } from '@app/observability';
import { CoreModule } from '@app/runtime';
import { CLUSTER_SLOTS, createTestContext, deleteRedisKeys, RedisClusterFixture, type TestContext, waitUntil } from '@app/testing';
import { JobName } from './job-name.enum';
import { JobProducer } from './job-producer.service';
import { QueueConnection } from './queue-connection.provider';
import { QueueName } from './queue-name.enum';
import { RedisClient } from './redis-client.provider';
import { createRedisConnection, QUEUE_CONNECTION_OPTIONS, type RedisConnection } from './redis-connection.factory';
import { RedisHealthIndicator } from './redis-health.indicator';
import { readWorkerHeartbeat } from './worker-health.check';
import { WorkerHeartbeat } from './worker-heartbeat.service';

// Chosen so the two queues land on different masters of three: CLUSTER KEYSLOT puts {dialer} at
// 895 (first third of the slots) and {messaging} at 15971 (last third). The test checks it.
const DIALER_PREFIX = '{dialer}';
const MESSAGING_PREFIX = '{messaging}';
const PLATFORM_PREFIX = '{dialer-test}';

interface Run {
  readonly queue: string;
  readonly id: string;
  readonly name: string;
  readonly worker: string;
  readonly waitedMs: number;
}

describe('BullMQ on a three-master Redis Cluster', () => {
  let cluster: RedisClusterFixture;
  let connection: RedisConnection;
  const closeAfterwards: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await RedisClusterFixture.start({ masters: 3 });
    // The platform's way in: a validated config naming the cluster, then the one connection factory.
    const config = loadAppConfig({ REDIS_CLUSTER_NODES: cluster.clusterNodesVariable, QUEUE_PREFIX: PLATFORM_PREFIX });
    connection = createRedisConnection(clusterRedisEndpoints(config.redis.clusterNodes ?? []), QUEUE_CONNECTION_OPTIONS);
  });

  afterAll(async () => {
    for (const closable of closeAfterwards.reverse()) await closable.close().catch(() => undefined);
    await connection?.quit().catch(() => connection.disconnect());
    await cluster?.stop();
  });

  it('should start three masters on their own loopback ports that split every slot and agree the cluster is ok', async () => {
    expect(new Set(cluster.nodes.map((node) => node.port)).size).toBe(3);
    expect(cluster.nodes.reduce((slots, node) => slots + node.slots.last - node.slots.first + 1, 0)).toBe(CLUSTER_SLOTS);
    for (const node of cluster.nodes) {
      const redis = cluster.connectToNode(node.index);
      try {
        const info = await redis.cluster('INFO');
        expect(info).toMatch(/^cluster_state:ok\r?$/m);
        expect(info).toMatch(/^cluster_known_nodes:3\r?$/m);
        expect(info).toMatch(/^cluster_size:3\r?$/m);
      } finally {
        redis.disconnect();
      }
    }
    expect(connection).toBeInstanceOf(Cluster);
    await waitUntil(async () => ((connection as Cluster).status === 'ready' ? true : undefined), 'the cluster connection to be ready');
    expect((connection as Cluster).nodes('master')).toHaveLength(3);
  });

  it('should run a {dialer} and a {messaging} queue on different masters, every job exactly once, delayed and scheduled ones included', async () => {
    const dialerSlot = await cluster.keySlot(`${DIALER_PREFIX}:${QueueName.Dialer}:wait`);
    const messagingSlot = await cluster.keySlot(`${MESSAGING_PREFIX}:${QueueName.Sms}:wait`);
    expect(dialerSlot).toBe(await cluster.keySlot(`${DIALER_PREFIX}:${QueueName.Dialer}:meta`));
    const dialerMaster = await cluster.ownerOfSlot(dialerSlot);
    const messagingMaster = await cluster.ownerOfSlot(messagingSlot);
    expect(dialerMaster.index).not.toBe(messagingMaster.index);

    const runs: Run[] = [];
    const queues = [
      { name: QueueName.Dialer, prefix: DIALER_PREFIX },
      { name: QueueName.Sms, prefix: MESSAGING_PREFIX },
    ];
    for (const { name, prefix } of queues) {
      const queue = new Queue(name, { connection, prefix });
      closeAfterwards.push(queue);
      // Two competing workers per queue, each with its own blocking connection to the cluster.
      for (const worker of ['a', 'b']) {
        const consumer = new Worker(
          name,
          async (job: Job) => {
            runs.push({ queue: name, id: job.id ?? '', name: job.name, worker, waitedMs: (job.processedOn ?? Date.now()) - job.timestamp });
          },
          { connection, prefix, concurrency: 4 },
        );
        closeAfterwards.push(consumer);
        await consumer.waitUntilReady();
      }
      for (let index = 0; index < 20; index += 1) await queue.add('immediate', { index }, { jobId: `${name}-${index}` });
      await queue.add('delayed', {}, { jobId: `${name}-delayed`, delay: 700 });
      await queue.upsertJobScheduler(`${name}-tick`, { every: 300, limit: 3 }, { name: 'scheduled', data: {} });
    }

    const expectedRuns = 2 * (20 + 1 + 3);
    await waitUntil(async () => (runs.length >= expectedRuns ? true : undefined), `${expectedRuns} jobs to run`, 20_000);
    // Past three more scheduler periods: a job run twice, or a fourth scheduled run, would show by now.
    await new Promise((resolveLater) => setTimeout(resolveLater, 1500));

    expect(runs).toHaveLength(expectedRuns);
    const runsPerJob = new Map<string, number>();
    for (const run of runs) runsPerJob.set(`${run.queue}/${run.id}`, (runsPerJob.get(`${run.queue}/${run.id}`) ?? 0) + 1);
    expect([...runsPerJob.values()].every((count) => count === 1)).toBe(true);
    for (const { name } of queues) {
      const ofQueue = runs.filter((run) => run.queue === name);
      expect(
        ofQueue
          .filter((run) => run.name === 'immediate')
          .map((run) => run.id)
          .sort(),
      ).toEqual(Array.from({ length: 20 }, (_, index) => `${name}-${index}`).sort());
      const delayed = ofQueue.filter((run) => run.name === 'delayed');
      expect(delayed).toHaveLength(1);
      expect(delayed[0].waitedMs).toBeGreaterThanOrEqual(700);
      expect(new Set(ofQueue.filter((run) => run.name === 'scheduled').map((run) => run.id)).size).toBe(3);
    }

    // Every key of a queue sits on the master that owns its tag's slot, and only there.
    expect(await cluster.mastersHolding(DIALER_PREFIX)).toEqual([dialerMaster.index]);
    expect(await cluster.mastersHolding(MESSAGING_PREFIX)).toEqual([messagingMaster.index]);
  });

  it('should refuse a queue prefix without a hash tag on a cluster, where BullMQ cannot enqueue under it', async () => {
    let refusal: unknown;
    try {
      loadAppConfig({ REDIS_CLUSTER_NODES: cluster.clusterNodesVariable, QUEUE_PREFIX: 'dialer-test' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigValidationError);
    expect((refusal as ConfigValidationError).invalidVariables.map((variable) => variable.name)).toEqual(['QUEUE_PREFIX']);
    expect((refusal as Error).message).toContain('QUEUE_PREFIX: expected a hash tag such as {crossroads} when REDIS_CLUSTER_NODES is set, got "dialer-test"');

    // Why: the keys of one queue scatter over slots, and Redis refuses a script that spans several.
    const untagged = new Queue(QueueName.Dialer, { connection, prefix: 'dialer-test' });
    closeAfterwards.push(untagged);
    await expect(untagged.add('immediate', {})).rejects.toThrow(/CROSSSLOT/);
  });

  describe('the platform wired to the cluster', () => {
    let context: TestContext;
    let app: INestApplicationContext;

    beforeAll(async () => {
      context = await createTestContext({ REDIS_CLUSTER_NODES: cluster.clusterNodesVariable, QUEUE_PREFIX: PLATFORM_PREFIX });
      app = await NestFactory.createApplicationContext(
        {
          module: class ClusterQueueTestModule {},
          imports: [
            CoreModule.forRoot({ config: context.config, endpoints: context.endpoints, serviceName: 'test', logDestination: new RecordingLogDestination() }),
          ],
        },
        { logger: false },
      );
    });

    afterAll(async () => {
      await app?.close();
      await context?.dispose();
    });

    it('should enqueue, report health and keep a worker heartbeat through cluster connections, and clean its keys from every master', async () => {
      expect(context.endpoints.redisClusterNodes).toEqual(cluster.addresses);
      expect(app.get(QueueConnection).connection).toBeInstanceOf(Cluster);
      expect(app.get(RedisClient).connection).toBeInstanceOf(Cluster);
      await expect(app.get(RedisHealthIndicator).check()).resolves.toEqual({ status: 'up' });

      const received: Job[] = [];
      const consumer = new Worker(QueueName.Dialer, async (job: Job) => void received.push(job), { connection, prefix: PLATFORM_PREFIX });
      closeAfterwards.push(consumer);
      const jobId = await app.get(JobProducer).enqueue(JobName.DialerQueueProbe, { probeId: 'cluster-probe' }, { jobId: 'cluster-probe' });
      await waitUntil(async () => (received.length > 0 ? true : undefined), 'the probe job to be consumed');
      expect(received.map((job) => [job.id, job.name, job.data.payload])).toEqual([[jobId, JobName.DialerQueueProbe, { probeId: 'cluster-probe' }]]);
      await consumer.close();

      await app.get(WorkerHeartbeat).start('cluster-test-worker');
      const heartbeat = await readWorkerHeartbeat(context.endpoints, PLATFORM_PREFIX, 'cluster-test-worker');
      expect(heartbeat).toMatchObject({ worker: 'cluster-test-worker', state: 'running', pid: process.pid });

      // The platform's keys (three queues, the heartbeat) all hash by its tag, so one master holds them.
      const platformMaster = await cluster.ownerOfSlot(await cluster.keySlot(PLATFORM_PREFIX));
      expect(await cluster.mastersHolding(PLATFORM_PREFIX)).toEqual([platformMaster.index]);

      // Untagged keys spread over every master, so clearing them must scan each one.
      for (let index = 0; index < 30; index += 1) await connection.set(`cleanup-check:${index}`, 'x');
      expect(await cluster.mastersHolding('cleanup-check')).toEqual([0, 1, 2]);
      await deleteRedisKeys(cluster.endpoints, 'cleanup-check:*');
      expect(await cluster.mastersHolding('cleanup-check')).toEqual([]);
    });
  });
});
