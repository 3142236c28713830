import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CampaignRepository, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { AllianceLookupService, DEMO_ALLIANCE } from '@app/identity';
import { DEMO_CAMPAIGN } from '@app/turf';
import { ProgressRollupService } from '../progress/progress-rollup.service';
import { DemoProgressRepository } from './demo-progress.repository';

export const DEMO_HISTORY_CAMPAIGN = { slug: 'spring-2026', name: 'Spring 2026 listening calls' } as const;
const DEMO_HISTORY_DAYS = 21;

export interface DemoProgressReport {
  /** Attempts of the finished spring campaign (written now or before). */
  readonly attempts: number;
  readonly writtenNow: boolean;
}

/**
 * Three weeks of finished calls, so the progress page has a burn-up, organizations and counties to
 * show before anyone calls: a finished campaign of its own, so the live phone bank's list is not
 * touched. Counted into the rollups before the demo starts. Running it again adds nothing.
 */
@Injectable()
export class DemoProgressSeeder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alliances: AllianceLookupService,
    private readonly campaigns: CampaignRepository,
    private readonly history: DemoProgressRepository,
    private readonly rollups: ProgressRollupService,
  ) {}

  async seed(): Promise<DemoProgressReport> {
    const alliance = await this.alliances.resolve(DEMO_ALLIANCE.slug);
    const turfCampaign = await this.campaigns.findBySlug(alliance.id, DEMO_CAMPAIGN.slug);
    if (turfCampaign === null) throw new Error(`the demo campaign ${DEMO_CAMPAIGN.slug} is missing: seed the demo turf first`);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const campaignId = await this.history.createCampaign(manager, alliance.id, { ...DEMO_HISTORY_CAMPAIGN, surveyQuestions: DEFAULT_SURVEY_QUESTIONS });
      if (campaignId === null) return null;
      return this.history.writeHistory(manager, alliance.id, campaignId, turfCampaign.id, DEMO_HISTORY_DAYS);
    });
    await this.rollups.run();
    if (outcome !== null) return { attempts: outcome, writtenNow: true };
    const existing = await this.campaigns.findBySlug(alliance.id, DEMO_HISTORY_CAMPAIGN.slug);
    return { attempts: existing === null ? 0 : await this.history.attemptsOf(this.dataSource.manager, existing.id), writtenNow: false };
  }
}
