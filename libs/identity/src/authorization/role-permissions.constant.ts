import { MembershipRole } from '../entities/membership-role.enum';
import { Permission } from './permission.enum';

/**
 * Which role may do what. Where a role acts (the whole alliance, an anchor's region and members,
 * or one organization) comes from the membership, not from this table. Volunteers get only what
 * concerns one voter at a time (their segment, their answers), never a list.
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
    Permission.ReadVoterSegment,
    Permission.RecordValuesAnswers,
    Permission.ReadProgress,
    Permission.ManageTargets,
  ]),
  [MembershipRole.AnchorLead]: new Set([
    Permission.SearchVoters,
    Permission.ExportVoters,
    Permission.ReadTurf,
    Permission.CutTurf,
    Permission.AssignTurf,
    Permission.ManageCampaigns,
    Permission.CallVoters,
    Permission.ReadOrganizations,
    Permission.AddMemberOrganizations,
    Permission.RenameOrganizations,
    Permission.ManageMembers,
    Permission.ReadSegments,
    Permission.ReadVoterSegment,
    Permission.RecordValuesAnswers,
    Permission.ReadProgress,
  ]),
  [MembershipRole.OrgLead]: new Set([
    Permission.SearchVoters,
    Permission.ExportVoters,
    Permission.ReadTurf,
    Permission.ManageCampaigns,
    Permission.CallVoters,
    Permission.ReadOrganizations,
    Permission.ManageMembers,
    Permission.ReadSegments,
    Permission.ReadVoterSegment,
    Permission.RecordValuesAnswers,
    Permission.ReadProgress,
  ]),
  // The voter they are talking to: row security lets them see only voters their organization's turf holds.
  [MembershipRole.Volunteer]: new Set([Permission.ReadOrganizations, Permission.ReadVoterSegment, Permission.RecordValuesAnswers, Permission.CallVoters]),
};
