import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import { type CampaignRecord, CampaignRepository } from './campaign.repository';

/**
 * An alliance's campaigns. For now a campaign is what turf is assigned for (a voter is in at most
 * one organization's turf per campaign); channels, scripts and calling windows come with phone banking.
 */
@Injectable()
export class CampaignService {
  constructor(private readonly campaigns: CampaignRepository) {}

  async create(allianceId: string, slug: string, name: string): Promise<CampaignRecord> {
    const created = await this.campaigns.insert(allianceId, slug, name);
    if (created === null) throw new DomainException(DomainErrorCode.Conflict, `The alliance already has a campaign "${slug}"`, { slug });
    return created;
  }

  async findBySlug(allianceId: string, slug: string): Promise<CampaignRecord> {
    const campaign = await this.campaigns.findBySlug(allianceId, slug);
    if (campaign === null) throw new DomainException(DomainErrorCode.NotFound, `There is no campaign "${slug}" in this alliance`, { campaign: slug });
    return campaign;
  }

  list(allianceId: string): Promise<CampaignRecord[]> {
    return this.campaigns.list(allianceId);
  }
}
