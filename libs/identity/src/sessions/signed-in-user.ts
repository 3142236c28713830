import type { MembershipRole } from '../entities/membership-role.enum';

export interface SignedInMembership {
  readonly allianceId: string;
  readonly allianceSlug: string;
  /** Null for roles held across the alliance (alliance admin, data lead). */
  readonly organizationId: string | null;
  readonly organizationSlug: string | null;
  readonly role: MembershipRole;
}

/** Who a valid session belongs to, as every authenticated request sees them. */
export interface SignedInUser {
  readonly sessionId: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly expiresAt: Date;
  readonly memberships: readonly SignedInMembership[];
}
