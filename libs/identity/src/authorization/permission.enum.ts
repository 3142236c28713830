/** Everything the policy layer can be asked about; routes name the one they need. */
export enum Permission {
  SearchVoters = 'voters.search',
  ExportVoters = 'voters.export',
  ImportVoters = 'voter_imports.create',
  ReadVoterImports = 'voter_imports.read',
  ReadTurf = 'turf.read',
  CutTurf = 'turf.cut',
  AssignTurf = 'turf.assign',
  /** Create and change campaigns: the alliance's, or (an org or anchor lead) their organizations' own. */
  ManageCampaigns = 'campaigns.manage',
  /** Work a campaign's calls in a calling session: one voter at a time, never a list. */
  CallVoters = 'campaigns.call',
  ReadOrganizations = 'organizations.read',
  /** Create anchors, change regions, delete organizations: the alliance's shape. */
  ManageOrganizations = 'organizations.manage',
  /** Add a member organization under an anchor (an anchor lead: under their own). */
  AddMemberOrganizations = 'organizations.add_member',
  /** Rename an organization (an anchor lead: their own anchor). */
  RenameOrganizations = 'organizations.rename',
  ManageMembers = 'members.manage',
  ReadAuditLog = 'audit.read',
  /** See the taxonomy, models, their evaluation and the segments of voters one may see. */
  ReadSegments = 'segments.read',
  /** Edit the taxonomy, write rules, train and apply models, export segments (alliance-wide only). */
  ManageSegments = 'segments.manage',
  /** See one voter's segment, probabilities and why (a volunteer: the voter in front of them). */
  ReadVoterSegment = 'segments.read_voter',
  /** Record a voter's answer to a values question. */
  RecordValuesAnswers = 'segments.record_answers',
  /** Look up a phone's opt-out history, opt a phone out, or reverse an opt-out (audited; alliance admins only). */
  ManageOptOuts = 'opt_outs.manage',
  /** Read and export progress to target: the alliance's (alliance-wide roles), an anchor's region and members, or one's own organization. */
  ReadProgress = 'progress.read',
  /** Set the alliance's goal and the targets of anchors, members and counties (audited). */
  ManageTargets = 'progress.manage_targets',
}
