import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { SegmentApplicationRepository } from './apply/segment-application.repository';
import { SegmentApplicationService } from './apply/segment-application.service';
import { SegmentAssignmentRepository } from './apply/segment-assignment.repository';
import { SegmentDistributionService } from './apply/segment-distribution.service';
import { SegmentEvidenceRepository } from './evidence/segment-evidence.repository';
import { SegmentEvidenceService } from './evidence/segment-evidence.service';
import { VoterAttributesRepository } from './features/voter-attributes.repository';
import { SegmentModelRepository } from './models/segment-model.repository';
import { SegmentModelService } from './models/segment-model.service';
import { SegmentModelTrainingService } from './models/segment-model-training.service';
import { SegmentTaxonomyRepository } from './taxonomy/segment-taxonomy.repository';
import { SegmentTaxonomyService } from './taxonomy/segment-taxonomy.service';

/** Values segments: taxonomy, rule and trained models, applying them, and learning from conversations. Needs CoreModule. */
@Module({
  imports: [IdentityModule],
  providers: [
    SegmentTaxonomyRepository,
    SegmentTaxonomyService,
    VoterAttributesRepository,
    SegmentModelRepository,
    SegmentModelService,
    SegmentModelTrainingService,
    SegmentApplicationRepository,
    SegmentAssignmentRepository,
    SegmentApplicationService,
    SegmentDistributionService,
    SegmentEvidenceRepository,
    SegmentEvidenceService,
  ],
  exports: [
    SegmentTaxonomyService,
    SegmentModelService,
    SegmentModelTrainingService,
    SegmentApplicationService,
    SegmentDistributionService,
    SegmentEvidenceService,
  ],
})
export class SegmentsModule {}
