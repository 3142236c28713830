import { Module } from '@nestjs/common';
import { VoterImportRepository } from './importing/voter-import.repository';
import { VoterImportService } from './importing/voter-import.service';
import { VoterStagingRepository } from './importing/voter-staging.repository';
import { VoterExportService } from './search/voter-export.service';
import { VoterSearchRepository } from './search/voter-search.repository';
import { VoterSearchService } from './search/voter-search.service';

/** Voter files: import (staging and merge), search and export. Needs the database from CoreModule. */
@Module({
  providers: [VoterImportRepository, VoterStagingRepository, VoterImportService, VoterSearchRepository, VoterSearchService, VoterExportService],
  exports: [VoterImportRepository, VoterImportService, VoterSearchRepository, VoterSearchService, VoterExportService],
})
export class VoterFileModule {}
