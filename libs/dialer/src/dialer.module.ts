import { Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { TelephonyModule } from '@app/telephony';
import { CallAnswerRepository } from './answering/call-answer.repository';
import { CallAnswerService } from './answering/call-answer.service';
import { DialerCallEventRepository } from './call-events/dialer-call-event.repository';
import { DialerCallEventService } from './call-events/dialer-call-event.service';
import { ComplianceEvidenceRepository } from './compliance/compliance-evidence.repository';
import { ComplianceEvidenceService } from './compliance/compliance-evidence.service';
import { DialerLiveStatusRepository } from './live-status/dialer-live-status.repository';
import { DialerLiveStatusService } from './live-status/dialer-live-status.service';
import { DialerSnapshotRepository } from './pacing-snapshot/dialer-snapshot.repository';
import { PacingStatisticsStore } from './pacing-snapshot/pacing-statistics.store';
import { DialerLeaseRepository } from './pacing-tick/dialer-lease.repository';
import { PacingTickService } from './pacing-tick/pacing-tick.service';
import { DialApprovalRepository } from './approvals/dial-approval.repository';
import { DialApprovalService } from './approvals/dial-approval.service';
import { LineTypeFillRepository } from './line-types/line-type-fill.repository';
import { LineTypeFillService } from './line-types/line-type-fill.service';
import { DialerLineSettlementRepository } from './line-settlement/dialer-line-settlement.repository';
import { DialerLineSettlementService } from './line-settlement/dialer-line-settlement.service';
import { PacingSweepRepository } from './pacing-sweep/pacing-sweep.repository';
import { PacingSweepService } from './pacing-sweep/pacing-sweep.service';
import { DialerSessionRepository } from './volunteer-states/dialer-session.repository';
import { DialerSessionService } from './volunteer-states/dialer-session.service';

/** Power and predictive pacing in production: the tick, its reads and writes, what the pacer learned. Needs CoreModule (database, queues, Redis). */
@Module({
  // The phone bank's Clock (one instance, so a test that moves it moves it for both) and its telephony.
  imports: [TelephonyModule, ContactsModule],
  providers: [
    DialerSnapshotRepository,
    PacingStatisticsStore,
    DialerLeaseRepository,
    PacingTickService,
    LineTypeFillRepository,
    LineTypeFillService,
    DialApprovalRepository,
    DialApprovalService,
    CallAnswerRepository,
    CallAnswerService,
    ComplianceEvidenceRepository,
    ComplianceEvidenceService,
    DialerLiveStatusRepository,
    DialerLiveStatusService,
    DialerCallEventRepository,
    DialerCallEventService,
    DialerLineSettlementRepository,
    DialerLineSettlementService,
    PacingSweepRepository,
    PacingSweepService,
    DialerSessionRepository,
    DialerSessionService,
  ],
  exports: [
    LineTypeFillService,
    DialApprovalService,
    ComplianceEvidenceService,
    DialerLiveStatusService,
    PacingSweepService,
    DialerSessionService,
    DialerLineSettlementService,
    PacingTickService,
    PacingStatisticsStore,
    CallAnswerService,
    ComplianceEvidenceRepository,
    DialerCallEventService,
  ],
})
export class DialerModule {}
