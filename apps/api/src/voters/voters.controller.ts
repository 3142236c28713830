import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AccessPolicyService, AuditLogService, type Authorization, Permission, type SignedInUser } from '@app/identity';
import { parseVoterFilterCriteria, VoterExportService, type VoterFilter, VoterSearchService } from '@app/voter-file';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { filterInputOf, VoterFilterQueryDto, VoterSearchQueryDto, VoterSearchResponseDto } from './voter-search.dto';

@ApiTags('voters')
@Controller('voters')
@RequireSession()
export class VotersController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly audit: AuditLogService,
    private readonly voterSearch: VoterSearchService,
    private readonly voterExport: VoterExportService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Search an alliance's voters by place, party, age, propensity, race/ethnicity and phone, a page at a time" })
  @ApiOkResponse({ type: VoterSearchResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A filter, the cursor or the limit is invalid; the message names it' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such alliance' })
  async search(@SignedIn() user: SignedInUser, @Query() query: VoterSearchQueryDto): Promise<VoterSearchResponseDto> {
    const { filter, authorization } = await this.filterOf(user, query, Permission.SearchVoters);
    return this.voterSearch.search(filter, authorization, { after: query.after, limit: query.limit });
  }

  @Get('export')
  @ApiOperation({ summary: 'Download the voters matching the same filters as CSV, header first' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (UTF-8); cells that a spreadsheet would run as a formula start with a single quote', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async export(@SignedIn() user: SignedInUser, @Query() query: VoterFilterQueryDto): Promise<StreamableFile> {
    const { filter, authorization } = await this.filterOf(user, query, Permission.ExportVoters);
    const { csv } = await this.voterExport.exportCsv(filter, authorization);
    // Recorded before the first byte leaves: an export that fails midway was still attempted.
    await this.audit.record(authorization, 'voters.exported', {
      subjectType: 'alliance',
      subjectId: authorization.allianceId,
      details: { filter: filterInputOf(query) },
    });
    const today = new Date().toISOString().slice(0, 10);
    return new StreamableFile(csv, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="voters-${authorization.allianceSlug}-${today}.csv"`,
    });
  }

  /** Filters are checked before the alliance is looked up, so a bad filter is a 400 whatever the alliance. */
  private async filterOf(
    user: SignedInUser,
    query: VoterFilterQueryDto,
    permission: Permission,
  ): Promise<{ filter: VoterFilter; authorization: Authorization }> {
    const criteria = parseVoterFilterCriteria(filterInputOf(query));
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, permission);
    return { filter: { allianceId: authorization.allianceId, ...criteria }, authorization };
  }
}
