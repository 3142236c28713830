import type { DataAccess } from '@app/database';
import type { MembershipRole } from '../entities/membership-role.enum';
import type { OrganizationKind } from '../entities/organization-kind.enum';
import type { Permission } from './permission.enum';

/** An organization through which a user holds a permission. */
export interface ActingOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly role: MembershipRole;
  /** For an anchor lead: the anchor's region, where it may cut turf. */
  readonly regionCounties: readonly string[];
  /** For an anchor lead: the anchor's member organizations, which it serves. */
  readonly memberIds: readonly string[];
}

/**
 * The policy layer's answer to "may this user do this in this alliance": the alliance, whether
 * the grant covers the whole alliance or only some organizations, and the access for queries
 * over voter data.
 */
export interface Authorization extends DataAccess {
  readonly userId: string;
  readonly permission: Permission;
  readonly allianceId: string;
  readonly allianceSlug: string;
  readonly allianceWide: boolean;
  /** The memberships' organizations that carry the permission; empty when allianceWide. */
  readonly actingOrganizations: readonly ActingOrganization[];
}
