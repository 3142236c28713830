import { Module } from '@nestjs/common';
import { Clock } from '@app/common';
import { TelephonyModule } from '@app/telephony';
import { DialerSnapshotRepository } from './pacing-snapshot/dialer-snapshot.repository';
import { PacingStatisticsStore } from './pacing-snapshot/pacing-statistics.store';
import { DialerLeaseRepository } from './pacing-tick/dialer-lease.repository';
import { PacingTickService } from './pacing-tick/pacing-tick.service';

/** Power and predictive pacing in production: the tick, its reads and writes, what the pacer learned. Needs CoreModule (database, queues, Redis). */
@Module({
  imports: [TelephonyModule],
  providers: [DialerSnapshotRepository, PacingStatisticsStore, DialerLeaseRepository, PacingTickService, Clock],
  exports: [PacingTickService, PacingStatisticsStore],
})
export class DialerModule {}
