import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient } from '@app/queue';

/**
 * Reserves the moment a text may leave: no sooner than 1/rate after the previous one from the same
 * sending number, nor after the account's previous one. Each reservation moves its sender's and the
 * account's "next free" time forward, atomically in Redis (its own clock), so any number of workers
 * share one pace. Texts are paced, not refused: the carrier should never see more than the caps.
 */
const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sender = tonumber(redis.call('GET', KEYS[1]) or '0')
local account = tonumber(redis.call('GET', KEYS[2]) or '0')
local slot = math.max(now, sender, account)
-- PX takes whole milliseconds; an interval such as 1000/400 makes the times fractional
local ttl = math.ceil(math.max(60000, slot - now + 60000))
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[1])), 'PX', ttl)
redis.call('SET', KEYS[2], tostring(math.max(now, account) + tonumber(ARGV[2])), 'PX', ttl)
return {slot, now}
`;

export interface SendSlot {
  /** Epoch milliseconds, on Redis's clock. */
  readonly at: number;
  /** How long from now (by Redis's clock) until then. */
  readonly waitMs: number;
}

@Injectable()
export class SendSlotReserver {
  private readonly senderIntervalMs: number;
  private readonly accountIntervalMs: number;
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.senderIntervalMs = 1000 / config.messaging.senderMessagesPerSecond;
    this.accountIntervalMs = 1000 / config.messaging.accountMessagesPerSecond;
    // One hash tag: both keys of the script share a slot on a Redis Cluster.
    this.keyPrefix = `${config.queue.prefix}:sms-pace:{${config.telephony.accountSid}}`;
  }

  /** `sender` is the sending number, or the Messaging Service SID that picks one. */
  async reserve(sender: string): Promise<SendSlot> {
    const [at, now] = (await this.redis.connection.eval(
      RESERVE_SCRIPT,
      2,
      `${this.keyPrefix}:sender:${sender}`,
      `${this.keyPrefix}:account`,
      String(this.senderIntervalMs),
      String(this.accountIntervalMs),
    )) as [number, number];
    return { at, waitMs: at - now };
  }
}
