import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import type { CarrierSimulator } from '../../apps/carrier-sim/src';

/** One STOP a voter texted while their text was still queued, and how long it took to take effect. */
export interface StopSample {
  readonly phone: string;
  readonly ourNumber: string;
  /** Epoch ms (this machine's clock, which PostgreSQL shares): the injection request started. */
  readonly injectedAt: number;
  /** Epoch ms: the api's webhook answered (the simulator's injection resolved). */
  readonly answeredAt: number;
  /** Injection request → the `opt_out` row visible to another connection. */
  readonly optOutVisibleMs: number;
  /** Injection request → the webhook's answer reached the simulator and the injection resolved. */
  readonly answeredMs: number;
  /** The webhook's own time, as the simulator measured it (the POST to the api until its answer). */
  readonly webhookMs: number;
  readonly webhookStatus: number;
}

const POLL_EVERY_MS = 2;
const GIVE_UP_AFTER_MS = 30_000;

/**
 * Injects STOPs through the carrier simulator (a handset texting our number: the simulator blocks the
 * pair, answers as Twilio does, and posts the signed inbound webhook to the api) for phones whose
 * text is still queued, and times each from the injection to the phone's `opt_out` row being
 * visible, polled on a connection of its own every 2 ms.
 */
export class StopProbe {
  private readonly picked = new Set<string>();

  constructor(
    private readonly simulator: CarrierSimulator,
    private readonly poller: Client,
    private readonly campaign: { readonly allianceId: string; readonly campaignId: string },
  ) {}

  /**
   * A phone whose text is queued to leave within 1–5 s (its slot is reserved: the STOP races a send
   * about to happen), else any phone whose text is still unsent; null when none is left.
   */
  async pickQueuedPhone(): Promise<{ phone: string; ourNumber: string } | null> {
    for (const soon of [true, false]) {
      const rows = (
        await this.poller.query<{ phone: string; ourNumber: string }>(
          `SELECT voter_phone AS phone, our_number AS "ourNumber" FROM message
            WHERE campaign_id = $1 AND kind = 'initial' AND status = 'created' AND NOT (voter_phone = ANY ($2::text[]))
              AND ${soon ? `send_after BETWEEN now() + interval '1 second' AND now() + interval '5 seconds'` : `coalesce(send_after, now() + interval '2 seconds') > now() + interval '1 second'`}
            ORDER BY random() LIMIT 1`,
          [this.campaign.campaignId, [...this.picked]],
        )
      ).rows;
      if (rows[0] !== undefined) {
        this.picked.add(rows[0].phone);
        return rows[0];
      }
    }
    return null;
  }

  async stop(target: { readonly phone: string; readonly ourNumber: string }): Promise<StopSample> {
    const injectedAt = Date.now();
    const started = performance.now();
    const injection = this.simulator
      .injectInbound({ from: target.phone, to: target.ourNumber, body: 'STOP' })
      .then((outcome) => ({ outcome, answered: performance.now() }));
    let visible: number | null = null;
    while (visible === null) {
      const rows = await this.poller.query(`SELECT 1 FROM opt_out WHERE alliance_id = $1 AND phone = $2 AND channel IN ('sms', 'all')`, [
        this.campaign.allianceId,
        target.phone,
      ]);
      if (rows.rowCount !== null && rows.rowCount > 0) visible = performance.now();
      else if (performance.now() - started > GIVE_UP_AFTER_MS) throw new Error(`a STOP from ${target.phone} had no opt-out after ${GIVE_UP_AFTER_MS / 1000} s`);
      else await sleep(POLL_EVERY_MS);
    }
    const { outcome, answered } = await injection;
    const answeredMs = answered - started;
    return {
      phone: target.phone,
      ourNumber: target.ourNumber,
      injectedAt,
      answeredAt: injectedAt + answeredMs,
      optOutVisibleMs: visible - started,
      answeredMs,
      webhookMs: outcome.webhook.ms,
      webhookStatus: outcome.webhook.status,
    };
  }
}
