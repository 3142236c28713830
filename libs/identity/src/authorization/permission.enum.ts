/** Everything the policy layer can be asked about; routes name the one they need. */
export enum Permission {
  SearchVoters = 'voters.search',
  ExportVoters = 'voters.export',
  ImportVoters = 'voter_imports.create',
  ReadVoterImports = 'voter_imports.read',
  ReadTurf = 'turf.read',
  CutTurf = 'turf.cut',
  AssignTurf = 'turf.assign',
  ReadOrganizations = 'organizations.read',
  ManageOrganizations = 'organizations.manage',
  ManageMembers = 'members.manage',
  ReadAuditLog = 'audit.read',
}
