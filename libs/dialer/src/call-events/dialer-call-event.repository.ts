import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CallStatus } from '@app/telephony';
import type { PacingPool } from '../pacing-snapshot/dialer-snapshot.repository';

/** A power or predictive call as a carrier event left it. */
export interface DialerCallAfterEvent {
  readonly callId: string;
  /** Set once the answer bridged the call to a volunteer's session. */
  readonly callingSessionId: string | null;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: CallStatus;
  /** The status this event carried: only the event that ended the line teaches how it ended (a late ringing event must not teach it again). */
  readonly eventStatus: string | null;
  readonly answeredAt: Date | null;
  readonly verdictAt: Date | null;
  /** Milliseconds from the carrier starting it (or, never started, from its row) to its end; null while it lasts. */
  readonly lastedMs: number | null;
}

@Injectable()
export class DialerCallEventRepository {
  /** The dialer call a stored provider event is about; null for preview calls and other events. */
  async callOfEvent(manager: EntityManager, eventId: string): Promise<DialerCallAfterEvent | null> {
    const rows: DialerCallAfterEvent[] = await manager.query(
      `SELECT c.id AS "callId", c.calling_session_id AS "callingSessionId", c.campaign_id AS "campaignId", c.organization_id AS "organizationId", c.status, e.status AS "eventStatus", c.answered_at AS "answeredAt", c.verdict_at AS "verdictAt",
              (extract(epoch FROM c.ended_at - COALESCE(c.ringing_at, c.created_at)) * 1000)::int AS "lastedMs"
         FROM provider_event e JOIN call c ON c.id = e.subject_id
        WHERE e.id = $1 AND e.kind = 'call_status' AND c.dial_kind <> 'preview'`,
      [eventId],
    );
    return rows[0] ?? null;
  }

  /** The pool of a power or predictive call; null for preview calls. */
  async poolOfCall(manager: EntityManager, callId: string): Promise<PacingPool | null> {
    const rows: PacingPool[] = await manager.query(
      `SELECT campaign_id AS "campaignId", organization_id AS "organizationId" FROM call WHERE id = $1 AND dial_kind <> 'preview'`,
      [callId],
    );
    return rows[0] ?? null;
  }
}
