import { Injectable } from '@nestjs/common';
import { CampaignService } from '@app/campaigns';
import { DomainErrorCode, DomainException } from '@app/common';
import {
  AccessPolicyService,
  AllianceLookupService,
  countyKey,
  DEMO_ALLIANCE,
  DEMO_ANCHORS,
  DEMO_LOGINS,
  demoOrganizationSlug,
  IdentityRepository,
  MembershipRole,
  Permission,
  type SignedInUser,
} from '@app/identity';
import { STANDARD_PARTIES, type StandardParty } from '@app/voter-file';
import { TurfAssignmentService } from '../turf-assignment.service';
import { TurfService } from '../turf.service';

export const DEMO_CAMPAIGN = { slug: 'demo-2026', name: '2026 Reform Persuasion' } as const;

export interface DemoTurfReport {
  readonly campaign: string;
  readonly turfs: number;
  readonly assignments: number;
  readonly assignedVoters: number;
}

/**
 * Gives the demo alliance turf the way its anchors would cut it: each anchor cuts its region,
 * splits it by precinct into one part per member and assigns each part for the demo campaign.
 * Anchors that share a county (Los Angeles has three) divide it by party. Each cut goes
 * through the policy layer as that anchor's lead would, so the region and member rules hold.
 * Once the campaign has turf, running it again changes nothing.
 */
@Injectable()
export class DemoTurfSeeder {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly alliances: AllianceLookupService,
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly turfs: TurfService,
    private readonly assignments: TurfAssignmentService,
  ) {}

  async seed(): Promise<DemoTurfReport> {
    const alliance = await this.alliances.resolve(DEMO_ALLIANCE.slug);
    const campaign = await this.campaigns.create(alliance.id, DEMO_CAMPAIGN.slug, DEMO_CAMPAIGN.name).catch(async (error: unknown) => {
      if (error instanceof DomainException && error.code === DomainErrorCode.Conflict) return this.campaigns.findBySlug(alliance.id, DEMO_CAMPAIGN.slug);
      throw error;
    });
    const actorId = await this.identity.findUserIdByEmail(DEMO_LOGINS[0].email);
    if (actorId === null) throw new Error('seed the demo alliance (its logins) before its turf');
    const report = { campaign: campaign.slug, turfs: 0, assignments: 0, assignedVoters: 0 };
    const lead = (anchorId: string, anchorSlug: string): SignedInUser => ({
      sessionId: 'demo-seed',
      userId: actorId,
      email: DEMO_LOGINS[0].email,
      displayName: 'Demo seeder',
      expiresAt: new Date(Date.now() + 60_000),
      memberships: [
        { allianceId: alliance.id, allianceSlug: alliance.slug, organizationId: anchorId, organizationSlug: anchorSlug, role: MembershipRole.AnchorLead },
      ],
    });
    for (const anchor of DEMO_ANCHORS) {
      const organization = await this.identity.findOrganizationBySlug(alliance.id, anchor.slug);
      if (organization === null) continue;
      const authorization = await this.policy.authorize(lead(organization.id, anchor.slug), { id: alliance.id }, Permission.AssignTurf);
      if ((await this.assignments.list(authorization, { campaign: campaign.slug })).some((each) => each.endedAt === null)) continue;
      const sharing = DEMO_ANCHORS.filter((other) => other.counties.map(countyKey).join() === anchor.counties.map(countyKey).join());
      const parties = sharing.length === 1 ? undefined : sliceOf(STANDARD_PARTIES, sharing.indexOf(anchor), sharing.length);
      const turf = await this.turfs.create(authorization, {
        name: `${anchor.name}: ${anchor.counties.join(', ')}${parties ? ` (${parties.join(', ')})` : ''}`,
        filter: { counties: anchor.counties.map(countyKey), ...(parties ? { parties } : {}) },
      });
      const materialized = await this.turfs.materialize(authorization, turf.id);
      report.turfs += 1;
      if ((materialized.voterCount ?? 0) < anchor.members.length) continue;
      const parts = await this.turfs
        .split(authorization, turf.id, anchor.members.length, 'precinct')
        .catch(() => this.turfs.split(authorization, turf.id, anchor.members.length, 'equal'));
      report.turfs += parts.length;
      for (const [index, part] of parts.entries()) {
        const assignment = await this.assignments.assign(authorization, part.id, {
          campaign: campaign.slug,
          organization: demoOrganizationSlug(anchor.members[index]),
          skipConflicts: true,
        });
        report.assignments += 1;
        report.assignedVoters += assignment.voterCount;
      }
    }
    return report;
  }
}

/** The values whose index falls to `slot` when `values` are dealt round-robin to `slots` takers. */
function sliceOf(values: readonly StandardParty[], slot: number, slots: number): StandardParty[] {
  return values.filter((_, index) => index % slots === slot);
}
