import Redis from 'ioredis';
import { WorkerHeartbeat, type Heartbeat } from './worker-heartbeat.service';
import { redisOptionsFromUrl } from './redis-connection.util';

/**
 * The `health` command of a worker (and the container health check): healthy when this host's
 * worker has refreshed its heartbeat recently and says it is running.
 */
export async function readWorkerHeartbeat(redisUrl: string, prefix: string, worker: string): Promise<Heartbeat | undefined> {
  const client = new Redis({ ...redisOptionsFromUrl(redisUrl), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const raw = await client.get(WorkerHeartbeat.key(prefix, worker));
    return raw ? (JSON.parse(raw) as Heartbeat) : undefined;
  } finally {
    client.disconnect();
  }
}
