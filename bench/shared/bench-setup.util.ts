import Redis from 'ioredis';
import type { Client } from 'pg';

/** The anchor (region WAKE) and the member under it that a benchmark's alliance works through. */
export interface BenchOrganizations {
  readonly anchorId: string;
  readonly memberId: string;
}

export async function createBenchOrganizations(owner: Client, allianceId: string): Promise<BenchOrganizations> {
  const [{ id: anchorId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, slug, name, region_counties) VALUES ($1, 'anchor', 'bench-anchor', 'Bench Anchor', ARRAY['WAKE']) RETURNING id`,
      [allianceId],
    )
  ).rows;
  const [{ id: memberId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO organization (alliance_id, kind, parent_anchor_id, slug, name) VALUES ($1, 'member', $2, 'bench-member', 'Bench Member') RETURNING id`,
      [allianceId, anchorId],
    )
  ).rows;
  return { anchorId, memberId };
}

/** Every key under `prefix:` (a run's queues, counters and heartbeats), removed without blocking Redis. */
export async function removeRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
