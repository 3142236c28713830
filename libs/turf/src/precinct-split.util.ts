export interface PrecinctGroup {
  readonly county: string | null;
  readonly precinct: string | null;
  readonly voters: number;
}

/**
 * Cuts precincts, in the order given (county, then precinct, so neighbours tend to stay
 * together), into `parts` runs of whole precincts whose sizes are as close to equal as runs
 * allow: a run ends where the running total comes nearest its share. Returns each group's part
 * number (0-based). Every part gets at least one precinct; the caller checks there are enough.
 */
export function splitPrecincts(groups: readonly PrecinctGroup[], parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`parts must be a positive whole number; got ${parts}`);
  if (groups.length < parts) throw new Error(`${groups.length} precincts cannot make ${parts} parts`);
  const total = groups.reduce((sum, group) => sum + group.voters, 0);
  const assignment: number[] = [];
  let part = 0;
  let runningTotal = 0;
  for (let index = 0; index < groups.length; index += 1) {
    const remainingGroups = groups.length - index;
    const remainingParts = parts - part;
    // Move on when this part has reached its share, or when the rest of the groups are needed one per part.
    if (part < parts - 1 && assignment.length > 0 && assignment[assignment.length - 1] === part) {
      const share = (total * (part + 1)) / parts;
      const before = Math.abs(share - runningTotal);
      const after = Math.abs(share - (runningTotal + groups[index].voters));
      if (remainingGroups < remainingParts || before <= after) part += 1;
    }
    assignment.push(part);
    runningTotal += groups[index].voters;
  }
  return assignment;
}

/** Sizes of `parts` parts of `total` voters that differ by at most one, largest first. */
export function equalPartSizes(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}
