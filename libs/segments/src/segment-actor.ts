import { DomainErrorCode, DomainException } from '@app/common';
import type { DataAccess } from '@app/database';

/** Who is acting, in which alliance, and what voters they may read (an `Authorization` is one). */
export interface SegmentActor extends DataAccess {
  readonly allianceId: string;
  readonly userId: string | null;
}

/**
 * Models classify every voter of the alliance and the taxonomy is the alliance's: changing them is
 * for someone who acts for the whole alliance, never for one organization's slice of it.
 */
export function assertAllianceWide(actor: SegmentActor, what: string): void {
  if (actor.rowScope.kind !== 'alliance') {
    throw new DomainException(DomainErrorCode.Forbidden, `${what} is for alliance-wide data leads and admins: it affects every voter of the alliance`);
  }
}
