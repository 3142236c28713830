import type { MembershipRole } from '../entities/membership-role.enum';
import type { OrganizationKind } from '../entities/organization-kind.enum';

export interface InvitedOrganization {
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
}

/** An invitation as its sender sees it once sent (the link itself went through the notifier). */
export interface InvitationView {
  readonly id: string;
  readonly allianceSlug: string;
  /** Null for an alliance-wide role. */
  readonly organization: InvitedOrganization | null;
  readonly role: MembershipRole;
  readonly email: string;
  readonly expiresAt: Date;
}

/** What the holder of a link is told before accepting: what it is for, not who it was sent to. */
export interface InvitationPreview {
  readonly allianceSlug: string;
  readonly allianceName: string;
  readonly organization: InvitedOrganization | null;
  readonly role: MembershipRole;
  readonly expiresAt: Date;
  /** Whether accepting asks for the existing account's current password rather than a new one and a name. */
  readonly existingAccount: boolean;
}
