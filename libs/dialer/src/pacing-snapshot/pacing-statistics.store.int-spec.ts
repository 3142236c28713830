import { RedisClient } from '@app/queue';
import { createTestContext, type TestContext } from '@app/testing';
import { emptyPacingStatistics } from '../pacing/pacing-statistics';
import { PacingStatisticsStore } from './pacing-statistics.store';

describe('PacingStatisticsStore (real Redis)', () => {
  let context: TestContext;
  let redis: RedisClient;
  let store: PacingStatisticsStore;
  const pool = { campaignId: '6f1c2f4e-0000-4000-8000-000000000001', organizationId: '6f1c2f4e-0000-4000-8000-000000000002' };

  beforeAll(async () => {
    context = await createTestContext();
    redis = new RedisClient(context.endpoints);
    await redis.onModuleInit();
    store = new PacingStatisticsStore(redis, context.config);
  });

  afterAll(async () => {
    await redis.onApplicationShutdown();
    await context.dispose();
  });

  it('should start cold, fold what call events recorded exactly once, and keep what arrives between folds', async () => {
    expect(await store.fold(pool, 0.025)).toEqual(emptyPacingStatistics());
    await store.record(pool, [
      { kind: 'line-ended', outcome: 'human', resolvedAfterMs: 11_500 },
      { kind: 'line-ended', outcome: 'no-answer', resolvedAfterMs: 25_000 },
      { kind: 'talk-ended', durationMs: 61_000 },
    ]);
    const first = await store.fold(pool, 0.025);
    expect(first.observed).toEqual({ lineEnds: 2, conversations: 1, wrapUps: 0 });
    expect(first.lineEnds.human[11]).toBe(1);
    // A second fold with nothing new changes nothing: no observation is counted twice.
    expect(await store.fold(pool, 0.025)).toEqual(first);

    await store.record(pool, [
      { kind: 'wrap-up-ended', durationMs: 9_000 },
      { kind: 'live-answer', abandoned: true },
    ]);
    const second = await store.fold(pool, 0.025);
    expect(second.observed).toEqual({ lineEnds: 2, conversations: 1, wrapUps: 1 });
    expect(second.controller).toMatchObject({ liveAnswers: 1, abandoned: 1 });
    expect(second.controller.riskAllowance).toBeLessThan(first.controller.riskAllowance);
  });

  it('should skip damaged entries and start cold from statistics of another shape', async () => {
    const other = { ...pool, organizationId: '6f1c2f4e-0000-4000-8000-000000000003' };
    const base = `${context.config.queue.prefix}:pacing:{${other.campaignId}:${other.organizationId}}`;
    await redis.connection.rpush(
      `${base}:observations`,
      'not json',
      JSON.stringify({ kind: 'unheard-of' }),
      JSON.stringify({ kind: 'talk-ended', durationMs: 30_000 }),
    );
    await redis.connection.set(`${base}:statistics`, JSON.stringify({ talk: [1, 2, 3] }));
    const folded = await store.fold(other, 0.025);
    expect(folded.observed).toEqual({ lineEnds: 0, conversations: 1, wrapUps: 0 });
    expect(await redis.connection.llen(`${base}:observations`)).toBe(0);
  });
});
