import { Body, Controller, Delete, Get, HttpCode, Put, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ProgressDashboardService, ProgressExportService, ProgressTargetService } from '@app/contacts';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import {
  ContactResultsQueryDto,
  ProgressBreakdownDto,
  ProgressBreakdownQueryDto,
  ProgressExportQueryDto,
  ProgressScopeDto,
  ProgressScopeQueryDto,
  ProgressSummaryDto,
  SetTargetDto,
  StoredTargetDto,
  TargetScopeQueryDto,
  TargetsDto,
} from './progress.dto';

const CSV_DESCRIPTION = 'CSV (UTF-8); cells that a spreadsheet would run as a formula start with a single quote';

/**
 * Progress to target: what data leads, anchors and members read (each only the scopes they may
 * see), what they export (audited), and the targets admins and data leads set (audited).
 */
@ApiTags('progress')
@Controller('progress')
@RequireSession()
export class ProgressController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly dashboard: ProgressDashboardService,
    private readonly exports: ProgressExportService,
    private readonly targets: ProgressTargetService,
  ) {}

  @Get('scopes')
  @ApiOperation({ summary: 'The scopes whose figures you may see: the alliance, regions, organizations' })
  @ApiOkResponse({ type: [ProgressScopeDto] })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async scopes(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<ProgressScopeDto[]> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadProgress);
    return this.dashboard.scopes(authorization);
  }

  @Get('summary')
  @ApiOperation({ summary: "A scope's headline figures, target, burn-up of unique voters reached and projection to the target date" })
  @ApiOkResponse({ type: ProgressSummaryDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'A scope you may not see' })
  async summary(@SignedIn() user: SignedInUser, @Query() query: ProgressScopeQueryDto): Promise<ProgressSummaryDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadProgress);
    return ProgressSummaryDto.of(await this.dashboard.summary(authorization, query.scope));
  }

  @Get('breakdown')
  @ApiOperation({ summary: "A scope's figures by organization, region, county, precinct, segment, campaign, channel or day" })
  @ApiOkResponse({ type: ProgressBreakdownDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async breakdown(@SignedIn() user: SignedInUser, @Query() query: ProgressBreakdownQueryDto): Promise<ProgressBreakdownDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadProgress);
    return ProgressBreakdownDto.of(await this.dashboard.breakdown(authorization, query.scope, query.dimension, query.limit));
  }

  @Get('export')
  @ApiOperation({ summary: 'A table of the dashboard as CSV (audited)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: CSV_DESCRIPTION, schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async exportTable(@SignedIn() user: SignedInUser, @Query() query: ProgressExportQueryDto): Promise<StreamableFile> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadProgress);
    const file = await this.exports.tableCsv(authorization, query.scope, query.table);
    return new StreamableFile(Buffer.from(file.csv, 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${file.fileName}"` });
  }

  @Get('contact-results')
  @ApiOperation({
    summary:
      'Contact results for VAN bulk upload and Parsons: external voter id, contact type, result code, survey question and response, date, organization (audited)',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: CSV_DESCRIPTION, schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async contactResults(@SignedIn() user: SignedInUser, @Query() query: ContactResultsQueryDto): Promise<StreamableFile> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadProgress);
    const file = await this.exports.contactResultsCsv(authorization, query);
    return new StreamableFile(file.csv, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${file.fileName}"` });
  }

  @Get('targets')
  @ApiOperation({ summary: "The alliance's goal and the targets of regions, members and counties" })
  @ApiOkResponse({ type: TargetsDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async listTargets(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<TargetsDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ManageTargets);
    return this.targets.list(authorization);
  }

  @Put('targets')
  @ApiOperation({ summary: "Set the alliance's goal, or an organization's or a county's target (audited, with what it replaced)" })
  @ApiOkResponse({ type: StoredTargetDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'The message names the field' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Alliance admins and data leads only' })
  async setTarget(@SignedIn() user: SignedInUser, @Body() body: SetTargetDto): Promise<StoredTargetDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageTargets);
    const stored = await this.targets.set(authorization, body);
    return { organizationId: stored.organizationId, county: stored.county, voters: stored.voters, targetDate: stored.targetDate };
  }

  @Delete('targets')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a target (the alliance's goal falls back to its contact goal by the end of the year; audited)" })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async removeTarget(@SignedIn() user: SignedInUser, @Query() query: TargetScopeQueryDto): Promise<void> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ManageTargets);
    await this.targets.remove(authorization, query);
  }
}
