import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient } from '@app/queue';
import { DEFAULT_CONTROLLER_TUNING, emptyPacingStatistics, observePacing, type PacingObservation, type PacingStatistics } from '../pacing/pacing-statistics';
import type { PacingPool } from './dialer-snapshot.repository';

/** Observations folded in one tick at most; a backlog beyond it waits for the next tick rather than stretching this one. */
const FOLD_BATCH = 5_000;

/**
 * What the pacer learned of a pool, kept in Redis beside its queue: the statistics as JSON, and a
 * list of observations call events append to. Only the pacing tick, under the pool's lock, folds the
 * list into the statistics, so concurrent events never overwrite each other's updates. Losing Redis
 * loses only this: the pacer starts cold (power 1:1) and learns again; the abandonment record the law
 * cares about lives in PostgreSQL.
 */
@Injectable()
export class PacingStatisticsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async record(pool: PacingPool, observations: readonly PacingObservation[]): Promise<void> {
    if (observations.length === 0) return;
    await this.redis.connection.rpush(this.keys(pool).observations, ...observations.map((observation) => JSON.stringify(observation)));
  }

  /** The pool's statistics with every waiting observation folded in, stored back; call under the pool's lock. */
  async fold(pool: PacingPool, abandonRateTarget: number): Promise<PacingStatistics> {
    const keys = this.keys(pool);
    const [stored, waiting] = await Promise.all([
      this.redis.connection.get(keys.statistics),
      this.redis.connection.lrange(keys.observations, 0, FOLD_BATCH - 1),
    ]);
    let statistics = parseStatistics(stored);
    if (waiting.length === 0) return statistics;
    const tuning = { ...DEFAULT_CONTROLLER_TUNING, abandonRateTarget };
    for (const entry of waiting) {
      const observation = parseObservation(entry);
      if (observation !== null) statistics = observePacing(statistics, observation, tuning);
    }
    // Both keys carry the pool's hash tag, so this transaction is one slot on a cluster too.
    await this.redis.connection.multi().set(keys.statistics, JSON.stringify(statistics)).ltrim(keys.observations, waiting.length, -1).exec();
    return statistics;
  }

  /** A cluster hashes a key on its first `{…}`: the prefix's tag if it has one, else the pool's, so both keys share a slot either way. */
  private keys(pool: PacingPool): { statistics: string; observations: string } {
    const base = `${this.config.queue.prefix}:pacing:{${pool.campaignId}:${pool.organizationId}}`;
    return { statistics: `${base}:statistics`, observations: `${base}:observations` };
  }
}

function parseStatistics(stored: string | null): PacingStatistics {
  if (stored === null) return emptyPacingStatistics();
  try {
    const parsed = JSON.parse(stored) as PacingStatistics;
    // A shape from another version starts cold rather than feeding the pacer garbage.
    const fresh = emptyPacingStatistics();
    const sameShape =
      parsed.talk?.length === fresh.talk.length &&
      parsed.wrapUp?.length === fresh.wrapUp.length &&
      parsed.lineEnds?.human?.length === fresh.lineEnds.human.length;
    return sameShape ? parsed : fresh;
  } catch {
    return emptyPacingStatistics();
  }
}

const OBSERVATION_KINDS: ReadonlySet<string> = new Set<PacingObservation['kind']>(['line-ended', 'live-answer', 'talk-ended', 'wrap-up-ended']);

/** An entry written by another version, or damaged, is skipped: one bad entry must not stop the pool's pacing. */
function parseObservation(entry: string): PacingObservation | null {
  try {
    const observation = JSON.parse(entry) as PacingObservation;
    return OBSERVATION_KINDS.has(observation?.kind) ? observation : null;
  } catch {
    return null;
  }
}
