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
import { CallStateChannel } from './realtime/call-state.channel';
import { CallingSessionRepository } from './sessions/calling-session.repository';

/** Calling sessions, calls and their carrier events, contact attempts. Needs CoreModule (database, queues, Redis). */
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
  ],
  exports: [DemoPhoneBankSeeder, PhoneBankService, CallEventService, CallDialingService, CallStateChannel, Clock, TelephonyModule, ContactAttemptRepository],
})
export class ContactsModule {}
