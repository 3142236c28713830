import { DomainErrorCode, DomainException } from '@app/common';
import { type Authorization, MembershipRole, OrganizationKind } from '@app/identity';

export type ProgressScopeKind = 'alliance' | 'region' | 'organization';

/** Whose figures: the alliance's, an anchor's region (the anchor and its members together) or one organization's. */
export interface ProgressScope {
  readonly kind: ProgressScopeKind;
  /** The alliance's id, the region's anchor or the organization. */
  readonly id: string;
  readonly name: string;
  /** The organization's (a region's: its anchor's); null for the alliance. Targets name organizations by it. */
  readonly slug: string | null;
  /** The organization's anchor (a member's), for drilling up. */
  readonly parentAnchorId: string | null;
}

/** What the policy needs of an alliance's organizations. */
export interface ScopeOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly parentAnchorId: string | null;
}

/**
 * The scopes whose figures a reader may see, widest first: alliance-wide roles see everything; an
 * anchor lead its region, its anchor and each member; anyone else with the permission their own
 * organizations only (a member's figures are its own: not the alliance's, not another member's).
 */
export function scopesVisibleTo(
  authorization: Pick<Authorization, 'allianceId' | 'allianceWide' | 'actingOrganizations'>,
  allianceName: string,
  organizations: readonly ScopeOrganization[],
): ProgressScope[] {
  const byName = grouped(organizations);
  const organizationScope = (organization: ScopeOrganization): ProgressScope => ({
    kind: 'organization',
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    parentAnchorId: organization.parentAnchorId,
  });
  const regionScope = (anchor: ScopeOrganization): ProgressScope => ({
    kind: 'region',
    id: anchor.id,
    name: `${anchor.name} region`,
    slug: anchor.slug,
    parentAnchorId: null,
  });
  if (authorization.allianceWide) {
    return [
      { kind: 'alliance', id: authorization.allianceId, name: allianceName, slug: null, parentAnchorId: null },
      ...byName.filter((organization) => organization.kind === OrganizationKind.Anchor).map(regionScope),
      ...byName.map(organizationScope),
    ];
  }
  const regions = new Set<string>();
  const own = new Set<string>();
  for (const acting of authorization.actingOrganizations) {
    own.add(acting.id);
    if (acting.role === MembershipRole.AnchorLead && acting.kind === OrganizationKind.Anchor) {
      regions.add(acting.id);
      for (const memberId of acting.memberIds) own.add(memberId);
    }
  }
  return [
    ...byName.filter((organization) => regions.has(organization.id)).map(regionScope),
    ...byName.filter((organization) => own.has(organization.id)).map(organizationScope),
  ];
}

/** Anchors by name, each followed by its members by name (a member without an anchor last). */
function grouped(organizations: readonly ScopeOrganization[]): ScopeOrganization[] {
  const sorted = [...organizations].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const anchors = sorted.filter((organization) => organization.kind === OrganizationKind.Anchor);
  const placed = anchors.flatMap((anchor) => [anchor, ...sorted.filter((organization) => organization.parentAnchorId === anchor.id)]);
  const seen = new Set(placed.map((organization) => organization.id));
  return [...placed, ...sorted.filter((organization) => !seen.has(organization.id))];
}

/**
 * A scope as a request names it: `alliance`, `region:<anchor id>` or `organization:<id>`; none
 * means the widest the reader sees. A scope outside `visible` is refused the same way whether or
 * not it exists.
 */
export function chooseScope(visible: readonly ProgressScope[], reference: string | undefined): ProgressScope {
  if (visible.length === 0) throw new DomainException(DomainErrorCode.Forbidden, 'You have no progress figures to see in this alliance');
  if (reference === undefined || reference === '') return visible[0];
  const match = /^(alliance|region|organization)(?::([0-9a-f-]{36}))?$/i.exec(reference.trim());
  if (match === null || (match[1].toLowerCase() !== 'alliance' && match[2] === undefined)) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `scope: "${reference}" is not alliance, region:<anchor id> or organization:<id>`, {
      parameter: 'scope',
    });
  }
  const kind = match[1].toLowerCase() as ProgressScopeKind;
  const found = visible.find((scope) => scope.kind === kind && (kind === 'alliance' || scope.id === match[2].toLowerCase()));
  if (found === undefined) {
    throw new DomainException(DomainErrorCode.Forbidden, `You may not see the figures of ${reference}`, { parameter: 'scope' });
  }
  return found;
}

/** How a scope is named in a request and in an export's file name. */
export function scopeReference(scope: Pick<ProgressScope, 'kind' | 'id'>): string {
  return scope.kind === 'alliance' ? 'alliance' : `${scope.kind}:${scope.id}`;
}
