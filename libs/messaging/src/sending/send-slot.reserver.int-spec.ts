import { loadAppConfig, type ServiceEndpoints } from '@app/config';
import { RedisClient } from '@app/queue';
import { createTestContext, type TestContext } from '@app/testing';
import { SendSlotReserver } from './send-slot.reserver';

/** The pacing reservations against a real Redis (its own clock and atomic script). */
describe('send slot reserver (real Redis)', () => {
  let context: TestContext;
  let redis: RedisClient;

  beforeAll(async () => {
    context = await createTestContext({ SMS_SENDER_MESSAGES_PER_SECOND: '4', SMS_ACCOUNT_MESSAGES_PER_SECOND: '10' });
    redis = new RedisClient(context.endpoints as ServiceEndpoints);
    await redis.onModuleInit();
  });

  afterAll(async () => {
    await redis.onApplicationShutdown();
    await context.dispose();
  });

  function reserver(overrides: Record<string, string> = {}): SendSlotReserver {
    const config = loadAppConfig({
      DATABASE_URL: context.config.database.url,
      REDIS_URL: context.config.redis.url,
      QUEUE_PREFIX: `${context.config.queue.prefix}-${Object.keys(overrides).length}`,
      SMS_SENDER_MESSAGES_PER_SECOND: '4',
      SMS_ACCOUNT_MESSAGES_PER_SECOND: '10',
      ...overrides,
    });
    return new SendSlotReserver(redis, config);
  }

  it('should space one number’s texts by 1/rate, whoever reserves them', async () => {
    const slots = reserver();
    const started = Date.now();
    const reserved = await Promise.all(Array.from({ length: 8 }, () => slots.reserve('+19195550101')));
    const reservingMs = Date.now() - started;
    const times = reserved.map((slot) => slot.at).sort((a, b) => a - b);
    for (let index = 1; index < times.length; index += 1) expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(250);
    // The first goes at once; the eighth waits seven intervals, less however long the reserving itself took on a busy machine.
    expect(Math.min(...reserved.map((slot) => slot.waitMs))).toBeLessThan(50);
    expect(Math.max(...reserved.map((slot) => slot.waitMs))).toBeGreaterThanOrEqual(7 * 250 - reservingMs - 5);
  });

  it('should pace numbers independently until the account’s cap binds', async () => {
    const slots = reserver({ SMS_ACCOUNT_MESSAGES_PER_SECOND: '1000', QUEUE_PREFIX: `${context.config.queue.prefix}-independent` });
    const first = await Promise.all(['+19195550201', '+19195550202', '+19195550203'].map((sender) => slots.reserve(sender)));
    // Three numbers, one text each: all at once.
    for (const slot of first) expect(slot.waitMs).toBeLessThan(50);

    const capped = reserver({
      SMS_SENDER_MESSAGES_PER_SECOND: '1000',
      SMS_ACCOUNT_MESSAGES_PER_SECOND: '5',
      QUEUE_PREFIX: `${context.config.queue.prefix}-capped`,
    });
    const senders = Array.from({ length: 10 }, (_, index) => `+1919555030${index}`);
    const reserved = await Promise.all(senders.map((sender) => capped.reserve(sender)));
    // Ten numbers, but the account allows five a second: the tenth waits nine account intervals.
    expect(Math.max(...reserved.map((slot) => slot.waitMs))).toBeGreaterThanOrEqual(9 * 200 - 50);
  });

  it('should reserve at rates whose interval is not a whole number of milliseconds', async () => {
    const slots = reserver({
      SMS_SENDER_MESSAGES_PER_SECOND: '3',
      SMS_ACCOUNT_MESSAGES_PER_SECOND: '400',
      QUEUE_PREFIX: `${context.config.queue.prefix}-fractional`,
    });
    const reserved = [];
    for (let index = 0; index < 4; index += 1) reserved.push(await slots.reserve('+19195550401'));
    const times = reserved.map((slot) => slot.at);
    // Redis answers whole milliseconds: a third of a second apart, give or take the one truncated.
    for (let index = 1; index < times.length; index += 1) expect(Math.abs(times[index] - times[index - 1] - 1000 / 3)).toBeLessThanOrEqual(1);
  });
});
