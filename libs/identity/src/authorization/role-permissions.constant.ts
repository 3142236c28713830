import { MembershipRole } from '../entities/membership-role.enum';
import { Permission } from './permission.enum';

/**
 * Which role may do what. Where a role acts (the whole alliance, an anchor's region and members,
 * or one organization) comes from the membership, not from this table. Volunteers get nothing
 * here: they reach one voter at a time through the calling and texting flows, never a list.
 */
export const ROLE_PERMISSIONS: Readonly<Record<MembershipRole, ReadonlySet<Permission>>> = {
  [MembershipRole.AllianceAdmin]: new Set(Object.values(Permission)),
  [MembershipRole.DataLead]: new Set([
    Permission.SearchVoters,
    Permission.ExportVoters,
    Permission.ImportVoters,
    Permission.ReadVoterImports,
    Permission.ReadTurf,
    Permission.ReadOrganizations,
    Permission.ReadSegments,
    Permission.ManageSegments,
    Permission.RecordValuesAnswers,
  ]),
  [MembershipRole.AnchorLead]: new Set([
    Permission.SearchVoters,
    Permission.ExportVoters,
    Permission.ReadTurf,
    Permission.CutTurf,
    Permission.AssignTurf,
    Permission.ReadOrganizations,
    Permission.AddMemberOrganizations,
    Permission.RenameOrganizations,
    Permission.ManageMembers,
    Permission.ReadSegments,
    Permission.RecordValuesAnswers,
  ]),
  [MembershipRole.OrgLead]: new Set([
    Permission.SearchVoters,
    Permission.ExportVoters,
    Permission.ReadTurf,
    Permission.ReadOrganizations,
    Permission.ManageMembers,
    Permission.ReadSegments,
    Permission.RecordValuesAnswers,
  ]),
  [MembershipRole.Volunteer]: new Set([Permission.ReadOrganizations]),
};
