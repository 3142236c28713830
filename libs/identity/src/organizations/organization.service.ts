import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { AuditLogService } from '../audit/audit-log.service';
import type { Authorization } from '../authorization/authorization';
import { AccessPolicyService } from '../authorization/access-policy.service';
import { Permission } from '../authorization/permission.enum';
import { MembershipRole } from '../entities/membership-role.enum';
import { OrganizationKind } from '../entities/organization-kind.enum';
import type { SignedInUser } from '../sessions/signed-in-user';
import type { OrganizationReference, OrganizationView } from './organization-view';
import { OrganizationRepository, type OrganizationRow } from './organization.repository';

export interface NewOrganization {
  readonly allianceSlug: string | undefined;
  readonly kind: OrganizationKind;
  readonly slug: string;
  readonly name: string;
  /** Anchors only: at least one county. */
  readonly regionCounties?: readonly string[];
  /** Members only: the slug of their anchor. */
  readonly anchorSlug?: string;
}

export interface OrganizationChanges {
  readonly name?: string;
  readonly regionCounties?: readonly string[];
}

/**
 * An alliance's organizations: anchors (with a region of counties) and their member
 * organizations. Alliance admins shape the alliance; an anchor lead may add members under its
 * own anchor and rename it. Every change is audited.
 */
@Injectable()
export class OrganizationService {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly organizations: OrganizationRepository,
    private readonly audit: AuditLogService,
  ) {}

  async list(user: SignedInUser, allianceSlug: string | undefined): Promise<{ allianceSlug: string; organizations: OrganizationView[] }> {
    const authorization = await this.policy.authorize(user, { slug: allianceSlug }, Permission.ReadOrganizations);
    return { allianceSlug: authorization.allianceSlug, organizations: viewsOf(await this.organizations.list(authorization.allianceId)) };
  }

  async get(user: SignedInUser, allianceSlug: string | undefined, slug: string): Promise<OrganizationView> {
    const authorization = await this.policy.authorize(user, { slug: allianceSlug }, Permission.ReadOrganizations);
    return this.viewOf(authorization.allianceId, slug);
  }

  async create(user: SignedInUser, organization: NewOrganization): Promise<OrganizationView> {
    const fields = checkedNewOrganization(organization);
    const permission = fields.kind === OrganizationKind.Anchor ? Permission.ManageOrganizations : Permission.AddMemberOrganizations;
    const authorization = await this.policy.authorize(user, { slug: organization.allianceSlug }, permission);
    let parentAnchorId: string | null = null;
    if (fields.kind === OrganizationKind.Member) {
      const anchor = await this.organizations.findBySlug(authorization.allianceId, fields.anchorSlug);
      if (anchor === null) {
        throw new DomainException(DomainErrorCode.NotFound, `There is no organization "${fields.anchorSlug}" in this alliance`, { field: 'anchor' });
      }
      if (anchor.kind !== OrganizationKind.Anchor) {
        throw new DomainException(DomainErrorCode.ValidationFailed, `anchor must name an anchor organization; "${anchor.slug}" is a member`, {
          field: 'anchor',
        });
      }
      if (!leadsAnchor(authorization, anchor.id)) {
        throw new DomainException(DomainErrorCode.Forbidden, `Only an alliance admin or a lead of "${anchor.slug}" may add member organizations to it`);
      }
      parentAnchorId = anchor.id;
    }
    const created = await this.organizations.insert(authorization.allianceId, {
      slug: fields.slug,
      name: fields.name,
      kind: fields.kind,
      parentAnchorId,
      regionCounties: fields.regionCounties,
    });
    await this.audit.record(authorization, 'organization.created', {
      subjectType: 'organization',
      subjectId: created.id,
      details: { slug: created.slug, kind: created.kind, parentAnchorId },
    });
    return this.viewOf(authorization.allianceId, created.slug);
  }

  async update(user: SignedInUser, allianceSlug: string | undefined, slug: string, changes: OrganizationChanges): Promise<OrganizationView> {
    const name = changes.name === undefined ? undefined : checkedName(changes.name);
    const regionCounties = changes.regionCounties === undefined ? undefined : checkedCounties(changes.regionCounties);
    if (name === undefined && regionCounties === undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'Nothing to change: give name, regionCounties or both', { field: 'name' });
    }
    // A region decides which voters an anchor sees: only an alliance admin redraws it.
    const authorization = await this.policy.authorize(
      user,
      { slug: allianceSlug },
      regionCounties === undefined ? Permission.RenameOrganizations : Permission.ManageOrganizations,
    );
    const organization = await this.existing(authorization.allianceId, slug);
    if (regionCounties !== undefined && organization.kind !== OrganizationKind.Anchor) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'regionCounties: only an anchor has a region; a member works inside its anchor\u2019s', {
        field: 'regionCounties',
      });
    }
    if (!authorization.allianceWide && !(organization.kind === OrganizationKind.Anchor && leadsAnchor(authorization, organization.id))) {
      throw new DomainException(DomainErrorCode.Forbidden, `Only an alliance admin or a lead of "${organization.slug}" may rename it`);
    }
    await this.organizations.update(organization.id, { name, regionCounties });
    await this.audit.record(authorization, 'organization.updated', {
      subjectType: 'organization',
      subjectId: organization.id,
      details: { changed: [...(name === undefined ? [] : ['name']), ...(regionCounties === undefined ? [] : ['regionCounties'])] },
    });
    return this.viewOf(authorization.allianceId, slug);
  }

  /** Refused while an anchor has member organizations or anyone still belongs to the organization: nothing goes with it unseen. */
  async delete(user: SignedInUser, allianceSlug: string | undefined, slug: string): Promise<void> {
    const authorization = await this.policy.authorize(user, { slug: allianceSlug }, Permission.ManageOrganizations);
    const deleted = await this.organizations.transaction(async (organizations) => {
      const organization = await organizations.findBySlug(authorization.allianceId, slug, true);
      if (organization === null) throw new NotFoundDomainException('Organization', slug);
      const { members, people } = await organizations.dependents(organization.id);
      if (members > 0) {
        throw new DomainException(
          DomainErrorCode.Conflict,
          `"${slug}" still anchors ${members} member organization${members === 1 ? '' : 's'}; move or delete them first`,
          { reason: 'has_members', members },
        );
      }
      if (people > 0) {
        throw new DomainException(
          DomainErrorCode.Conflict,
          `${people} ${people === 1 ? 'person still belongs' : 'people still belong'} to "${slug}"; remove their memberships first`,
          { reason: 'has_people', people },
        );
      }
      await organizations.delete(organization.id);
      return organization;
    });
    await this.audit.record(authorization, 'organization.deleted', {
      subjectType: 'organization',
      subjectId: deleted.id,
      details: { slug: deleted.slug, kind: deleted.kind },
    });
  }

  private async existing(allianceId: string, slug: string): Promise<OrganizationRow> {
    const organization = await this.organizations.findBySlug(allianceId, slug);
    if (organization === null) throw new NotFoundDomainException('Organization', slug);
    return organization;
  }

  private async viewOf(allianceId: string, slug: string): Promise<OrganizationView> {
    const view = viewsOf(await this.organizations.list(allianceId)).find((organization) => organization.slug === slug);
    if (view === undefined) throw new NotFoundDomainException('Organization', slug);
    return view;
  }
}

function leadsAnchor(authorization: Authorization, anchorId: string): boolean {
  return (
    authorization.allianceWide ||
    authorization.actingOrganizations.some((organization) => organization.id === anchorId && organization.role === MembershipRole.AnchorLead)
  );
}

function viewsOf(rows: readonly OrganizationRow[]): OrganizationView[] {
  const referenceOf = ({ id, slug, name }: OrganizationRow): OrganizationReference => ({ id, slug, name });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return rows.map((row) => ({
    ...referenceOf(row),
    kind: row.kind,
    regionCounties: row.regionCounties,
    anchor: row.parentAnchorId === null ? null : referenceOf(byId.get(row.parentAnchorId)!),
    members: rows.filter((member) => member.parentAnchorId === row.id).map(referenceOf),
  }));
}

type CheckedOrganization =
  | { kind: OrganizationKind.Anchor; slug: string; name: string; regionCounties: string[] }
  | { kind: OrganizationKind.Member; slug: string; name: string; regionCounties: []; anchorSlug: string };

/** What the request's shape cannot say: which fields go with which kind. */
function checkedNewOrganization(organization: NewOrganization): CheckedOrganization {
  const name = checkedName(organization.name);
  if (organization.kind === OrganizationKind.Anchor) {
    if (organization.anchorSlug !== undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'anchor must be left out for an anchor organization', { field: 'anchor' });
    }
    if (organization.regionCounties === undefined) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'regionCounties must list the counties of the anchor\u2019s region', {
        field: 'regionCounties',
      });
    }
    return { kind: organization.kind, slug: organization.slug, name, regionCounties: checkedCounties(organization.regionCounties) };
  }
  if (organization.regionCounties !== undefined) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'regionCounties must be left out for a member organization: it works in its anchor\u2019s', {
      field: 'regionCounties',
    });
  }
  if (organization.anchorSlug === undefined) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'anchor must name the anchor (by slug) the member organization belongs to', {
      field: 'anchor',
    });
  }
  return { kind: organization.kind, slug: organization.slug, name, regionCounties: [], anchorSlug: organization.anchorSlug };
}

function checkedName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) throw new DomainException(DomainErrorCode.ValidationFailed, 'name must not be blank', { field: 'name' });
  return trimmed;
}

/** Kept as people type them (tidied), once each whatever the case: the policy layer matches them to voter files. */
function checkedCounties(counties: readonly string[]): string[] {
  const tidied = counties.map((county) => county.trim().replace(/\s+/g, ' '));
  if (tidied.length === 0 || tidied.some((county) => county.length === 0)) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'regionCounties must list at least one county, none of them blank', {
      field: 'regionCounties',
    });
  }
  const seen = new Set<string>();
  return tidied.filter((county) => !seen.has(county.toUpperCase()) && seen.add(county.toUpperCase()));
}
