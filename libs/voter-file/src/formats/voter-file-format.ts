export const VOTER_FILE_FORMATS = ['ncvoter', 'ncvhis', 'ohio', 'california', 'generic'] as const;
export type VoterFileFormat = (typeof VOTER_FILE_FORMATS)[number];

// Columns only one layout carries; the first signature fully present in the header wins.
const SIGNATURES: ReadonlyArray<readonly [VoterFileFormat, readonly string[]]> = [
  ['ncvhis', ['ncid', 'election_lbl', 'voting_method']],
  ['ncvoter', ['ncid', 'voter_reg_num', 'county_desc']],
  ['ohio', ['sos_voterid', 'county_number']],
  // The California registration (VRD) file; its vote-history (VPH) file shares the ids but has no LastName.
  ['california', ['countycode', 'registrantid', 'lastname']],
];

/**
 * The layout a header belongs to, when `--format` is not given; `undefined` when none fits
 * (the caller then asks for `--format generic --mapping`).
 */
export function detectVoterFileFormat(header: readonly string[]): VoterFileFormat | undefined {
  const columns = new Set(header.map((name) => name.trim().toLowerCase()));
  return SIGNATURES.find(([, signature]) => signature.every((column) => columns.has(column)))?.[0];
}
