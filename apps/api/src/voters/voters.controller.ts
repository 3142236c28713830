import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AllianceLookupService } from '@app/identity';
import { parseVoterFilterCriteria, VoterExportService, type VoterFilter, VoterSearchService } from '@app/voter-file';
import { filterInputOf, VoterFilterQueryDto, VoterSearchQueryDto, VoterSearchResponseDto } from './voter-search.dto';

@ApiTags('voters')
@Controller('voters')
export class VotersController {
  constructor(
    private readonly alliances: AllianceLookupService,
    private readonly voterSearch: VoterSearchService,
    private readonly voterExport: VoterExportService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Search an alliance's voters by place, party, age, propensity, race/ethnicity and phone, a page at a time" })
  @ApiOkResponse({ type: VoterSearchResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A filter, the cursor or the limit is invalid; the message names it' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such alliance' })
  async search(@Query() query: VoterSearchQueryDto): Promise<VoterSearchResponseDto> {
    const { filter } = await this.filterOf(query);
    return this.voterSearch.search(filter, { after: query.after, limit: query.limit });
  }

  @Get('export')
  @ApiOperation({ summary: 'Download the voters matching the same filters as CSV, header first' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (UTF-8); cells that a spreadsheet would run as a formula start with a single quote', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async export(@Query() query: VoterFilterQueryDto): Promise<StreamableFile> {
    const { filter, allianceSlug } = await this.filterOf(query);
    const { csv } = await this.voterExport.exportCsv(filter);
    const today = new Date().toISOString().slice(0, 10);
    return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="voters-${allianceSlug}-${today}.csv"` });
  }

  /** Filters are checked before the alliance is looked up, so a bad filter is a 400 whatever the alliance. */
  private async filterOf(query: VoterFilterQueryDto): Promise<{ filter: VoterFilter; allianceSlug: string }> {
    const criteria = parseVoterFilterCriteria(filterInputOf(query));
    const alliance = await this.alliances.resolve(query.alliance);
    return { filter: { allianceId: alliance.id, ...criteria }, allianceSlug: alliance.slug };
  }
}
