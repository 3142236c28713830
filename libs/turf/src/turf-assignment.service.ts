import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { CampaignService } from '@app/campaigns';
import { AuditLogService, type Authorization, MembershipRole } from '@app/identity';
import { type AssignableOrganization, type TurfAssignmentRecord, TurfAssignmentRepository } from './turf-assignment.repository';
import { TurfRepository } from './turf.repository';
import { TurfService, visibleOrganizations } from './turf.service';

export interface AssignTurfRequest {
  readonly campaign: string;
  readonly organization: string;
  /** Assign only the voters no other organization holds in the campaign, instead of answering 409. */
  readonly skipConflicts?: boolean;
}

/**
 * Hands turf to member organizations for a campaign. A voter is in at most one organization's
 * turf per campaign: an assignment that would take voters another holds is refused with their
 * number (409), unless asked to take the rest. Unassigning and reassigning end an assignment
 * and keep it as history.
 */
@Injectable()
export class TurfAssignmentService {
  constructor(
    private readonly turfService: TurfService,
    private readonly turfs: TurfRepository,
    private readonly assignments: TurfAssignmentRepository,
    private readonly campaigns: CampaignService,
    private readonly audit: AuditLogService,
  ) {}

  /** The alliance an assignment belongs to; a missing one is a 404. */
  async allianceOf(assignmentId: string): Promise<string> {
    const allianceId = await this.assignments.allianceOf(assignmentId);
    if (allianceId === null) throw new NotFoundDomainException('Turf assignment', assignmentId);
    return allianceId;
  }

  async assign(authorization: Authorization, turfId: string, request: AssignTurfRequest): Promise<TurfAssignmentRecord> {
    const turf = await this.turfService.changeable(authorization, turfId);
    if (turf.status !== 'materialized')
      throw new DomainException(DomainErrorCode.Conflict, `Materialize turf "${turf.name}" before assigning it`, { turf: turf.id });
    const campaign = await this.campaigns.findBySlug(authorization.allianceId, request.campaign);
    const organization = await this.assignee(authorization, request.organization);
    const assignmentId = await this.turfs.inScope(authorization, async (manager) => {
      await this.turfs.lock(manager, turf.id);
      const id = await this.assignments.insert(manager, {
        allianceId: authorization.allianceId,
        campaignId: campaign.id,
        turfId: turf.id,
        organizationId: organization.id,
        assignedByUserId: authorization.userId,
      });
      const taken = await this.assignments.takeVoters(manager, id);
      const total = turf.voterCount ?? 0;
      const conflicting = total - taken;
      if (conflicting > 0 && (!request.skipConflicts || taken === 0)) {
        // Thrown inside the transaction, so nothing of this assignment stays.
        throw new DomainException(
          DomainErrorCode.Conflict,
          taken === 0
            ? `All ${total} voters of "${turf.name}" are already in other organizations' turf for campaign "${campaign.slug}"`
            : `${conflicting} of the ${total} voters of "${turf.name}" are already in another organization's turf for campaign "${campaign.slug}"; ` +
                `send skipConflicts: true to assign the other ${taken}`,
          { conflictingVoters: conflicting, assignableVoters: taken },
        );
      }
      return id;
    });
    const [assignment] = await this.assignments.list({ allianceId: authorization.allianceId, organizationIds: null, assignmentId });
    await this.audit.record(authorization, 'turf.assigned', {
      subjectType: 'turf_assignment',
      subjectId: assignment.id,
      details: { turfId: turf.id, campaignId: campaign.id, organizationId: organization.id, voters: assignment.voterCount },
    });
    return assignment;
  }

  async unassign(authorization: Authorization, assignmentId: string): Promise<TurfAssignmentRecord> {
    const assignment = await this.current(authorization, assignmentId);
    await this.turfs.inScope(authorization, (manager) => this.assignments.end(manager, assignment.id, 'unassigned', authorization.userId));
    await this.audit.record(authorization, 'turf.unassigned', {
      subjectType: 'turf_assignment',
      subjectId: assignment.id,
      details: { turfId: assignment.turfId, campaignId: assignment.campaignId, organizationId: assignment.organizationId },
    });
    return (await this.assignments.list({ allianceId: authorization.allianceId, organizationIds: null, assignmentId }))[0];
  }

  /** Moves an assignment's turf to another member in one transaction; the old assignment stays as history. */
  async reassign(authorization: Authorization, assignmentId: string, organizationSlug: string): Promise<TurfAssignmentRecord> {
    const previous = await this.current(authorization, assignmentId);
    const organization = await this.assignee(authorization, organizationSlug);
    if (organization.id === previous.organizationId) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `The turf is already assigned to ${organization.name}`, { parameter: 'organization' });
    }
    const newId = await this.turfs.inScope(authorization, async (manager) => {
      if (!(await this.assignments.end(manager, previous.id, 'reassigned', authorization.userId))) {
        throw new DomainException(DomainErrorCode.Conflict, 'This assignment has just ended', { assignment: previous.id });
      }
      const id = await this.assignments.insert(manager, {
        allianceId: authorization.allianceId,
        campaignId: previous.campaignId,
        turfId: previous.turfId,
        organizationId: organization.id,
        assignedByUserId: authorization.userId,
      });
      await this.assignments.takeVoters(manager, id);
      return id;
    });
    const [assignment] = await this.assignments.list({ allianceId: authorization.allianceId, organizationIds: null, assignmentId: newId });
    await this.audit.record(authorization, 'turf.reassigned', {
      subjectType: 'turf_assignment',
      subjectId: newId,
      details: {
        previousAssignmentId: previous.id,
        turfId: previous.turfId,
        from: previous.organizationId,
        to: organization.id,
        voters: assignment.voterCount,
      },
    });
    return assignment;
  }

  /** Assignments the caller may see, current and past: every one for the alliance, else their organizations' and their turf's. */
  async list(authorization: Authorization, filter: { campaign?: string; organization?: string; turfIds?: readonly string[] }): Promise<TurfAssignmentRecord[]> {
    const campaign = filter.campaign === undefined ? undefined : await this.campaigns.findBySlug(authorization.allianceId, filter.campaign);
    const organization = filter.organization === undefined ? undefined : await this.assignments.findOrganization(authorization.allianceId, filter.organization);
    if (filter.organization !== undefined && organization === null) {
      throw new DomainException(DomainErrorCode.NotFound, `There is no organization "${filter.organization}" in this alliance`, {
        organization: filter.organization,
      });
    }
    return this.assignments.list({
      allianceId: authorization.allianceId,
      organizationIds: visibleOrganizations(authorization),
      campaignId: campaign?.id,
      organizationId: organization?.id,
      turfIds: filter.turfIds,
    });
  }

  /** A current assignment the caller may change: the alliance's admins any, an anchor lead those of its own turf. */
  private async current(authorization: Authorization, assignmentId: string): Promise<TurfAssignmentRecord> {
    const [assignment] = await this.assignments.list({
      allianceId: authorization.allianceId,
      organizationIds: visibleOrganizations(authorization),
      assignmentId,
    });
    if (!assignment) throw new NotFoundDomainException('Turf assignment', assignmentId);
    await this.turfService.changeable(authorization, assignment.turfId);
    if (assignment.endedAt !== null) {
      throw new DomainException(DomainErrorCode.Conflict, `This assignment already ended (${assignment.endReason ?? 'ended'})`, { assignment: assignment.id });
    }
    return assignment;
  }

  /** A member organization the caller may hand turf to: any for the alliance, an anchor lead only its own members. */
  private async assignee(authorization: Authorization, slug: string): Promise<AssignableOrganization> {
    const organization = await this.assignments.findOrganization(authorization.allianceId, slug);
    if (organization === null) {
      throw new DomainException(DomainErrorCode.NotFound, `There is no organization "${slug}" in this alliance`, { parameter: 'organization' });
    }
    if (organization.kind !== 'member') {
      throw new DomainException(DomainErrorCode.ValidationFailed, `${organization.name} is an anchor; turf goes to member organizations`, {
        parameter: 'organization',
      });
    }
    const ownAnchors = authorization.actingOrganizations.filter((each) => each.role === MembershipRole.AnchorLead).map((each) => each.id);
    if (!authorization.allianceWide && !ownAnchors.includes(organization.parentAnchorId ?? '')) {
      throw new DomainException(DomainErrorCode.Forbidden, `${organization.name} is not one of your anchor's members`, { parameter: 'organization' });
    }
    return organization;
  }
}
