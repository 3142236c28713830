import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient, type RedisConnection } from '@app/queue';

/** What the console hears about a call: its status as soon as the worker has applied it. */
export interface CallStateMessage {
  readonly sessionId: string;
  readonly callId: string;
  readonly status: string;
  readonly answeredBy: string | null;
  readonly durationSeconds: number | null;
}

/**
 * Carries call states from the workers that apply carrier events to the api process that holds
 * the volunteer's WebSocket, over Redis pub/sub. A missed message costs nothing durable: the
 * console also reads the call's state over HTTP whenever it reconnects.
 */
@Injectable()
export class CallStateChannel implements OnApplicationShutdown {
  private readonly logger = new Logger(CallStateChannel.name);
  private subscriber: RedisConnection | null = null;
  private readonly channel: string;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.channel = `${config.queue.prefix}:call-state`;
  }

  async publish(message: CallStateMessage): Promise<void> {
    await this.redis.connection.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => {
      this.logger.warn({ message: 'call state not published', callId: message.callId, error: String(error) });
    });
  }

  async subscribe(listener: (message: CallStateMessage) => void): Promise<void> {
    if (this.subscriber === null) {
      // A subscribed connection can do nothing else, and must queue while reconnecting.
      this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
      this.subscriber.on('error', () => undefined);
      await this.subscriber.subscribe(this.channel);
    }
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel !== this.channel) return;
      try {
        listener(JSON.parse(payload) as CallStateMessage);
      } catch (error) {
        this.logger.warn({ message: 'unreadable call state message', error: String(error) });
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }
}
