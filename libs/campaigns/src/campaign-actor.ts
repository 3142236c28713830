import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import type { DataAccess } from '@app/database';
import type { CampaignRecord } from './campaign.repository';

/** Who acts on campaigns: the alliance, whether for all of it, and the organizations they act for. */
export interface CampaignActor extends DataAccess {
  readonly userId: string;
  readonly allianceId: string;
  readonly allianceWide: boolean;
  readonly actingOrganizations: readonly { readonly id: string; readonly memberIds: readonly string[] }[];
}

/** The organizations an actor answers for: their own, and for an anchor lead its members. */
export function organizationsServedBy(actor: CampaignActor): Set<string> {
  return new Set(actor.actingOrganizations.flatMap((organization) => [organization.id, ...organization.memberIds]));
}

/**
 * A campaign is managed by the alliance, or by the organization that runs it (and that
 * organization's anchor). Alliance-wide programs are the alliance's to change.
 */
export function assertManages(actor: CampaignActor, campaign: CampaignRecord): void {
  if (campaign.allianceId !== actor.allianceId) throw new NotFoundDomainException('Campaign', campaign.id);
  if (actor.allianceWide) return;
  if (campaign.organizationId !== null && organizationsServedBy(actor).has(campaign.organizationId)) return;
  throw new DomainException(
    DomainErrorCode.Forbidden,
    campaign.organizationId === null
      ? 'This campaign is an alliance-wide program: only the alliance’s admins change it'
      : 'This campaign belongs to another organization',
    { campaign: campaign.slug },
  );
}
