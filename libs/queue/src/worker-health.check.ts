import { WorkerHeartbeat, type Heartbeat } from './worker-heartbeat.service';
import { createRedisConnection, ONE_SHOT_CONNECTION_OPTIONS, type RedisTarget } from './redis-connection.factory';

/**
 * The `health` command of a worker (and the container health check): healthy when this host's
 * worker has refreshed its heartbeat recently and says it is running.
 */
export async function readWorkerHeartbeat(redis: RedisTarget | string, prefix: string, worker: string): Promise<Heartbeat | undefined> {
  const client = createRedisConnection(redis, ONE_SHOT_CONNECTION_OPTIONS);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const raw = await client.get(WorkerHeartbeat.key(prefix, worker));
    return raw ? (JSON.parse(raw) as Heartbeat) : undefined;
  } finally {
    client.disconnect();
  }
}
