import type { MembershipRole } from '../entities/membership-role.enum';
import type { OrganizationKind } from '../entities/organization-kind.enum';

export interface MembershipView {
  readonly id: string;
  /** Null for an alliance-wide role (alliance admin, data lead). */
  readonly organization: { readonly id: string; readonly slug: string; readonly name: string; readonly kind: OrganizationKind } | null;
  readonly role: MembershipRole;
  readonly createdAt: Date;
}

/** A person and the memberships of theirs that the viewer may manage. */
export interface PersonView {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly memberships: readonly MembershipView[];
}
