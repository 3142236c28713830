export enum MembershipRole {
  AllianceAdmin = 'alliance_admin',
  AnchorLead = 'anchor_lead',
  OrgLead = 'org_lead',
  DataLead = 'data_lead',
  Volunteer = 'volunteer',
}

/** Roles that act for the whole alliance and so hold a membership with no organization. */
export const ALLIANCE_WIDE_ROLES: readonly MembershipRole[] = [MembershipRole.AllianceAdmin, MembershipRole.DataLead];
