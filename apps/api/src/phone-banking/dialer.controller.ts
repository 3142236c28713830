import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CampaignService } from '@app/campaigns';
import { ComplianceEvidenceService, DialerLiveStatusService } from '@app/dialer';
import { AccessPolicyService, AuditLogService, type SignedInUser } from '@app/identity';
import { managedCampaign } from './managed-campaign.util';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { IdParamsDto } from '../turf/turf.dto';
import { ComplianceEvidenceDto, ComplianceWindowQueryDto, DialerLiveStatusDto } from './dialer.dto';

/** The org lead's view of a power or predictive campaign's dialer: what it is doing now, and the evidence that it kept the law. */
@ApiTags('dialer')
@Controller('campaigns')
@RequireSession()
export class DialerController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly campaigns: CampaignService,
    private readonly liveStatus: DialerLiveStatusService,
    private readonly compliance: ComplianceEvidenceService,
    private readonly audit: AuditLogService,
  ) {}

  @Get(':id/dialer/live')
  @ApiOperation({ summary: 'Now: volunteers by dialer state and lines in flight per organization; the last hour’s answers, abandonment and conversations' })
  @ApiOkResponse({ type: DialerLiveStatusDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async live(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto): Promise<DialerLiveStatusDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    return DialerLiveStatusDto.of(await this.liveStatus.statusOf(authorization, campaign));
  }

  @Get(':id/dialer/compliance')
  @ApiOperation({
    summary: 'Compliance evidence over a window (the rolling 30 days by default, at most 90): abandonment against the 3% cap and the three must-be-zero checks',
  })
  @ApiOkResponse({ type: ComplianceEvidenceDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'from or to is not a date, or the window is empty or longer than 90 days; details.field names it',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async evidence(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Query() query: ComplianceWindowQueryDto): Promise<ComplianceEvidenceDto> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    return ComplianceEvidenceDto.of(await this.compliance.report(authorization, campaign, query));
  }

  @Get(':id/dialer/compliance.csv')
  @ApiOperation({ summary: 'The same evidence as CSV, a row per UTC day and a total row (audited)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV (UTF-8); cells that a spreadsheet would run as a formula start with a single quote', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async evidenceCsv(@SignedIn() user: SignedInUser, @Param() params: IdParamsDto, @Query() query: ComplianceWindowQueryDto): Promise<StreamableFile> {
    const { authorization, campaign } = await managedCampaign(this.policy, this.campaigns, user, params.id);
    const { csv, report } = await this.compliance.exportCsv(authorization, campaign, query);
    await this.audit.record(authorization, 'dialer_compliance.exported', {
      subjectType: 'campaign',
      subjectId: campaign.id,
      details: { from: report.from.toISOString(), to: report.to.toISOString() },
    });
    const period = `${report.from.toISOString().slice(0, 10)}-to-${report.to.toISOString().slice(0, 10)}`;
    return new StreamableFile(Buffer.from(csv, 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="dialer-compliance-${campaign.slug}-${period}.csv"`,
    });
  }
}
