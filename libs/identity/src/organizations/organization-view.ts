import type { OrganizationKind } from '../entities/organization-kind.enum';

export interface OrganizationReference {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/** An organization as people see it: an anchor with its region and members, or a member with its anchor. */
export interface OrganizationView extends OrganizationReference {
  readonly kind: OrganizationKind;
  /** An anchor's counties; empty for a member, which works inside its anchor's region. */
  readonly regionCounties: readonly string[];
  /** A member's anchor; null for an anchor. */
  readonly anchor: OrganizationReference | null;
  /** An anchor's member organizations; empty for a member. */
  readonly members: readonly OrganizationReference[];
}
