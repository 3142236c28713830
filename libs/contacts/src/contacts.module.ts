import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { IdentityModule } from '@app/identity';
import { TurfModule } from '@app/turf';
import { Clock } from '@app/common';
import { SegmentsModule } from '@app/segments';
import { TelephonyModule } from '@app/telephony';
import { ContactAttemptRepository } from './attempts/contact-attempt.repository';
import { CallCardRepository } from './calling/call-card.repository';
import { CallListLeaseRepository } from './calling/call-list-lease.repository';
import { PhoneBankService } from './calling/phone-bank.service';
import { CallDialingService } from './calls/call-dialing.service';
import { CallEventService } from './calls/call-event.service';
import { CallRepository } from './calls/call.repository';
import { ProviderEventRepository } from './calls/provider-event.repository';
import { DemoPhoneBankSeeder } from './demo/demo-phone-bank.seeder';
import { DemoProgressRepository } from './demo/demo-progress.repository';
import { DemoProgressSeeder } from './demo/demo-progress.seeder';
import { ContactResultsRepository } from './progress/contact-results.repository';
import { ProgressDashboardService } from './progress/progress-dashboard.service';
import { ProgressExportService } from './progress/progress-export.service';
import { ProgressFiguresRepository } from './progress/progress-figures.repository';
import { ProgressReconciliationRepository } from './progress/progress-reconciliation.repository';
import { ProgressReconciliationService } from './progress/progress-reconciliation.service';
import { ProgressRollupRepository } from './progress/progress-rollup.repository';
import { ProgressRollupService } from './progress/progress-rollup.service';
import { ProgressSummaryService } from './progress/progress-summary.service';
import { ProgressTargetRepository } from './progress/progress-target.repository';
import { ProgressTargetService } from './progress/progress-target.service';
import { CallStateChannel } from './realtime/call-state.channel';
import { CallingSessionRepository } from './sessions/calling-session.repository';

/** Calling sessions, calls and their carrier events, contact attempts and the progress they add up to. Needs CoreModule (database, queues, Redis). */
@Module({
  imports: [CampaignsModule, SegmentsModule, TelephonyModule, IdentityModule, TurfModule],
  providers: [
    CallingSessionRepository,
    CallListLeaseRepository,
    CallCardRepository,
    CallRepository,
    ProviderEventRepository,
    ContactAttemptRepository,
    CallStateChannel,
    Clock,
    PhoneBankService,
    CallEventService,
    CallDialingService,
    DemoPhoneBankSeeder,
    DemoProgressRepository,
    DemoProgressSeeder,
    ProgressRollupRepository,
    ProgressRollupService,
    ProgressReconciliationRepository,
    ProgressReconciliationService,
    ProgressFiguresRepository,
    ProgressSummaryService,
    ProgressDashboardService,
    ProgressTargetRepository,
    ProgressTargetService,
    ContactResultsRepository,
    ProgressExportService,
  ],
  exports: [
    ProviderEventRepository,
    DemoPhoneBankSeeder,
    DemoProgressSeeder,
    PhoneBankService,
    CallEventService,
    CallDialingService,
    CallStateChannel,
    Clock,
    TelephonyModule,
    ContactAttemptRepository,
    ProgressRollupService,
    ProgressReconciliationService,
    ProgressSummaryService,
    ProgressDashboardService,
    ProgressTargetService,
    ProgressExportService,
  ],
})
export class ContactsModule {}
