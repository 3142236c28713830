import { Module } from '@nestjs/common';
import { ContactsModule } from '@app/contacts';
import { TelephonyModule } from '@app/telephony';
import { CallAnswerRepository } from './answering/call-answer.repository';
import { CallAnswerService } from './answering/call-answer.service';
import { DialerCallEventRepository } from './call-events/dialer-call-event.repository';
import { DialerCallEventService } from './call-events/dialer-call-event.service';
import { ComplianceEvidenceRepository } from './compliance/compliance-evidence.repository';
import { DialerSnapshotRepository } from './pacing-snapshot/dialer-snapshot.repository';
import { PacingStatisticsStore } from './pacing-snapshot/pacing-statistics.store';
import { DialerLeaseRepository } from './pacing-tick/dialer-lease.repository';
import { PacingTickService } from './pacing-tick/pacing-tick.service';

/** Power and predictive pacing in production: the tick, its reads and writes, what the pacer learned. Needs CoreModule (database, queues, Redis). */
@Module({
  // The phone bank's Clock (one instance, so a test that moves it moves it for both) and its telephony.
  imports: [TelephonyModule, ContactsModule],
  providers: [
    DialerSnapshotRepository,
    PacingStatisticsStore,
    DialerLeaseRepository,
    PacingTickService,
    CallAnswerRepository,
    CallAnswerService,
    ComplianceEvidenceRepository,
    DialerCallEventRepository,
    DialerCallEventService,
  ],
  exports: [PacingTickService, PacingStatisticsStore, CallAnswerService, ComplianceEvidenceRepository, DialerCallEventService],
})
export class DialerModule {}
