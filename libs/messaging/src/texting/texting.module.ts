import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { ContactsModule } from '@app/contacts';
import { IdentityModule } from '@app/identity';
import { SegmentsModule } from '@app/segments';
import { DemoTextingRepository } from '../demo/demo-texting.repository';
import { DemoTextingSeeder } from '../demo/demo-texting.seeder';
import { MessagingModule } from '../messaging.module';
import { TexterConversationRepository } from './texter-conversation.repository';
import { TexterService } from './texter.service';
import { TextingAssignmentRepository } from './texting-assignment.repository';
import { TextingStatsRepository } from './texting-stats.repository';
import { TextingStatsService } from './texting-stats.service';

/** The texter's and the lead's side of peer-to-peer texting (batches, initial texts, replies, inbox, stats). Needs CoreModule. */
@Module({
  imports: [MessagingModule, CampaignsModule, ContactsModule, SegmentsModule, IdentityModule],
  providers: [
    TextingAssignmentRepository,
    TexterConversationRepository,
    TextingStatsRepository,
    TexterService,
    TextingStatsService,
    DemoTextingRepository,
    DemoTextingSeeder,
  ],
  exports: [TexterService, TextingStatsService, DemoTextingSeeder],
})
export class TextingModule {}
