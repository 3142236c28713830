import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, type Authorization, Permission, type SignedInUser } from '@app/identity';
import { TurfAssignmentService } from '@app/turf';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { IdParamsDto, ReassignTurfDto, TurfAssignmentDto, TurfAssignmentListDto, TurfAssignmentQueryDto } from './turf.dto';

@ApiTags('turf')
@Controller('turf-assignments')
@RequireSession()
export class TurfAssignmentsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly assignments: TurfAssignmentService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Turf assignments you may see, current and past, newest first (by member: ?organization=)' })
  @ApiOkResponse({ type: TurfAssignmentListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: TurfAssignmentQueryDto): Promise<TurfAssignmentListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadTurf);
    const assignments = await this.assignments.list(authorization, { campaign: query.campaign, organization: query.organization });
    return { assignments: assignments.map((assignment) => TurfAssignmentDto.of(assignment)) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Unassign: the organization gives the voters back; the assignment stays as history' })
  @ApiOkResponse({ type: TurfAssignmentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already ended' })
  async unassign(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto): Promise<TurfAssignmentDto> {
    const authorization = await this.authorizeFor(user, id);
    return TurfAssignmentDto.of(await this.assignments.unassign(authorization, id));
  }

  @Post(':id/reassign')
  @ApiOperation({ summary: 'Move the turf to another member organization; the old assignment stays as history' })
  @ApiCreatedResponse({ type: TurfAssignmentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async reassign(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto, @Body() body: ReassignTurfDto): Promise<TurfAssignmentDto> {
    const authorization = await this.authorizeFor(user, id);
    return TurfAssignmentDto.of(await this.assignments.reassign(authorization, id, body.organization));
  }

  private async authorizeFor(user: SignedInUser, id: string): Promise<Authorization> {
    return authorizeForRecord(this.policy, user, { what: 'Turf assignment', id, allianceId: await this.assignments.allianceOf(id) }, Permission.AssignTurf);
  }
}
