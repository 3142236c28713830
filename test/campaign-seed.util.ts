import { CallListService } from '@app/campaigns';
import { MembershipRole } from '@app/identity';
import { createOwnerApplication, IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs } from '@app/testing';
import { assignEveryVoterAsTurf } from './phone-bank-stack.util';
import type { WorkerProcessStack } from './scheduled-worker.util';

/** A new alliance with one anchor and one member organization under it. */
export interface SeededMember {
  readonly allianceId: string;
  readonly anchorId: string;
  readonly memberId: string;
}

/** What the seeding needs of a dialer or texting stack. */
export type SeedingStack = Pick<WorkerProcessStack, 'context' | 'api' | 'sql' | 'baseUrl'>;

/**
 * A new alliance, anchor and member, with `rows` synthetic voters through the real import. Households
 * share phones and a call list has one row per phone: ask for more voters than call-list rows wanted.
 */
export async function seedMemberWithVoters(stack: SeedingStack, voters: { rows: number; seed: number }): Promise<SeededMember> {
  const identity = new IdentityFactory(stack.sql);
  const allianceId = (await identity.alliance()).id;
  const anchorId = (await identity.anchor(allianceId)).id;
  const memberId = (await identity.member(allianceId, anchorId)).id;
  const ownerApplication = await createOwnerApplication(stack.context);
  try {
    await importSyntheticVoters(ownerApplication, stack.context, { allianceId, rows: voters.rows, seed: voters.seed });
  } finally {
    await ownerApplication.close();
  }
  return { allianceId, anchorId, memberId };
}

/**
 * The campaign's call list as the demo builds it (every voter on the member's turf, the list
 * refreshed), then cut to exactly `rowsWanted` rows; fails when the voters gave fewer.
 */
export async function fillCallList(stack: SeedingStack, member: SeededMember, campaignId: string, rowsWanted: number): Promise<void> {
  const { sql } = stack;
  await assignEveryVoterAsTurf(sql, { ...member, campaignId });
  await stack.api.get(CallListService).refresh(member.allianceId, campaignId);
  const [{ rows }] = await sql.query(`SELECT count(*)::int AS rows FROM campaign_contact WHERE campaign_id = $1`, [campaignId]);
  if (rows < rowsWanted) throw new Error(`the call list has ${rows} rows, fewer than the ${rowsWanted} wanted`);
  await sql.query(
    `DELETE FROM campaign_contact WHERE campaign_id = $1 AND id NOT IN (SELECT id FROM campaign_contact WHERE campaign_id = $1 ORDER BY id LIMIT $2)`,
    [campaignId, rowsWanted],
  );
}

/** Volunteers of the member organization, signed in through the api's own sign-in route. */
export async function signInMemberVolunteers(
  stack: SeedingStack,
  member: Pick<SeededMember, 'allianceId' | 'memberId'>,
  count: number,
): Promise<SignedInAgent[]> {
  const agents: SignedInAgent[] = [];
  for (let index = 0; index < count; index += 1) {
    agents.push(await signInAs(stack.baseUrl, stack.sql, [{ allianceId: member.allianceId, organizationId: member.memberId, role: MembershipRole.Volunteer }]));
  }
  return agents;
}
