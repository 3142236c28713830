import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';
import { LIVE_CALL_STATUS_SQL } from '@app/telephony';

/** Reads for the sweep: which pools need pacing, and what a crash or a lost job may have left behind. */
@Injectable()
export class PacingSweepRepository {
  /**
   * Pools with a volunteer in the dialer (in an active power or predictive campaign), a line
   * waiting for one, or an ended line still holding its voter. Three index-backed reads.
   */
  async livePools(manager: EntityManager): Promise<PacingPool[]> {
    return manager.query(
      `SELECT s.campaign_id AS "campaignId", s.organization_id AS "organizationId"
         FROM calling_session s JOIN campaign k ON k.id = s.campaign_id AND k.status = 'active' AND k.dial_mode IN ('power', 'predictive')
        WHERE s.status = 'active' AND s.dialer_state IS NOT NULL
       UNION
       SELECT campaign_id, organization_id FROM call
        WHERE calling_session_id IS NULL AND status IN ${LIVE_CALL_STATUS_SQL} AND dial_kind <> 'preview'
       UNION
       SELECT campaign_id, organization_id FROM campaign_contact WHERE lease_id IS NOT NULL AND leased_session_id IS NULL`,
    );
  }

  /**
   * Dialer calls still unasked (created) or asked by a worker that died before storing the
   * answer (requesting) well after they were written: their place-call job was lost (a worker
   * killed between the commit and the enqueue, a Redis that lost its last second).
   */
  async strandedCalls(
    manager: EntityManager,
    olderThanSeconds: number,
    limit: number,
  ): Promise<Array<{ id: string; status: 'created' | 'requesting'; ageSeconds: number }>> {
    return manager.query(
      `SELECT id, status, extract(epoch FROM now() - created_at)::int AS "ageSeconds" FROM call
        WHERE calling_session_id IS NULL AND status IN ('created', 'requesting') AND dial_kind <> 'preview'
          AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }

  /** Carrier events stored but never applied well after they arrived: their job was lost. */
  async unappliedCallEvents(manager: EntityManager, olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id::text FROM provider_event WHERE applied_at IS NULL AND kind = 'call_status' AND received_at < now() - make_interval(secs => $1)
        ORDER BY received_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((row) => row.id);
  }
}
