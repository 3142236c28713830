import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainErrorCode, DomainException } from '@app/common';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { SegmentApplicationService } from '@app/segments';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ModelIdParamsDto, SegmentApplicationDto } from './segments.dto';

@ApiTags('segments')
@Controller('segment-applications')
@RequireSession()
export class SegmentApplicationsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly applications: SegmentApplicationService,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: "A run of a model over the voter file: status, progress, and the segments' distribution once done" })
  @ApiOkResponse({ type: SegmentApplicationDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@SignedIn() user: SignedInUser, @Param() { id }: ModelIdParamsDto): Promise<SegmentApplicationDto> {
    const allianceId = await this.applications.allianceOf(id);
    if (!allianceId) throw new DomainException(DomainErrorCode.NotFound, `segment application ${id} was not found`, { what: 'segment application', id });
    const authorization = await authorizeForRecord(this.policy, user, { what: 'segment application', id, allianceId }, Permission.ReadSegments);
    return SegmentApplicationDto.of(await this.applications.find(authorization.allianceId, id));
  }
}
