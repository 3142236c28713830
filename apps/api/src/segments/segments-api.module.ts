import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { IdentityModule } from '@app/identity';
import { SegmentsModule } from '@app/segments';
import { SegmentApplicationsController } from './segment-applications.controller';
import { SegmentModelsController } from './segment-models.controller';
import { SegmentTaxonomyController } from './segment-taxonomy.controller';
import { VoterSegmentsController } from './voter-segments.controller';

/** Polls are small (200k respondents is a few MB): they are checked in memory, never stored as files. */
const MAX_POLL_BYTES = 20 * 1024 * 1024;

/** Values segments over HTTP. */
@Module({
  imports: [IdentityModule, SegmentsModule, MulterModule.register({ storage: memoryStorage(), limits: { fileSize: MAX_POLL_BYTES, files: 1, fields: 10 } })],
  controllers: [SegmentTaxonomyController, SegmentModelsController, SegmentApplicationsController, VoterSegmentsController],
})
export class SegmentsApiModule {}
