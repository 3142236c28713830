import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { type AllianceTarget, ProgressFiguresRepository } from './progress-figures.repository';
import { ProgressRollupService } from './progress-rollup.service';

/** The alliance's headline: its target and where it stands. */
export interface AllianceProgressSummary {
  readonly target: AllianceTarget;
  readonly uniqueVotersReached: number;
  readonly conversations: number;
  readonly attempts: number;
  readonly openToReform: number;
  readonly optOuts: number;
  /** Attempts still queued for the rollups when read (0 after `countQueued`). */
  readonly queuedAttempts: number;
}

@Injectable()
export class ProgressSummaryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly figures: ProgressFiguresRepository,
    private readonly rollups: ProgressRollupService,
    private readonly clock: Clock,
  ) {}

  /** With `countQueued`, attempts still queued are counted first, so the figures are exact as of now. */
  async allianceSummary(allianceId: string, options: { countQueued?: boolean } = {}): Promise<AllianceProgressSummary> {
    if (options.countQueued === true) await this.rollups.run();
    const manager = this.dataSource.manager;
    const [target, totals, queuedAttempts] = await Promise.all([
      this.figures.allianceTarget(manager, allianceId, this.clock.now().getUTCFullYear()),
      this.figures.totals(manager, 'alliance', allianceId),
      this.rollups.queuedCount(),
    ]);
    return {
      target,
      uniqueVotersReached: totals.votersReached,
      conversations: totals.conversations,
      attempts: totals.attempts,
      openToReform: totals.openToReform,
      optOuts: totals.optOuts,
      queuedAttempts,
    };
  }
}
