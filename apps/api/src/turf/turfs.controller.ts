import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, type Authorization, Permission, type SignedInUser } from '@app/identity';
import { parseTurfFilter, TurfAssignmentService, TurfService } from '@app/turf';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { ErrorResponseDto } from '../errors/error-response.dto';
import {
  AssignTurfDto,
  CreateTurfDto,
  IdParamsDto,
  SplitTurfDto,
  TurfAssignmentDto,
  TurfCountDto,
  TurfCountRequestDto,
  TurfDto,
  TurfListDto,
  TurfPartsDto,
} from './turf.dto';

@ApiTags('turf')
@Controller('turfs')
@RequireSession()
export class TurfsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly turfs: TurfService,
    private readonly assignments: TurfAssignmentService,
  ) {}

  @Post('count')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Count the active voters a turf filter matches (the live count while cutting)' })
  @ApiOkResponse({ type: TurfCountDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A filter value is invalid; details.parameter names it' })
  async count(@SignedIn() user: SignedInUser, @Body() body: TurfCountRequestDto): Promise<TurfCountDto> {
    const filter = parseTurfFilter(body.filter);
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.CutTurf);
    return { total: await this.turfs.count(authorization, body.anchor, filter) };
  }

  @Get()
  @ApiOperation({ summary: 'The turf you may see, newest first, with current and past assignments' })
  @ApiOkResponse({ type: TurfListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<TurfListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadTurf);
    const turfs = await this.turfs.list(authorization);
    const assignments = await this.assignments.list(authorization, { turfIds: turfs.map((turf) => turf.id) });
    return { turfs: turfs.map((turf) => TurfDto.of(turf, assignments)) };
  }

  @Post()
  @ApiOperation({ summary: 'Save a turf (a draft) from a filter; an anchor only inside its region' })
  @ApiCreatedResponse({ type: TurfDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(@SignedIn() user: SignedInUser, @Body() body: CreateTurfDto): Promise<TurfDto> {
    const filter = parseTurfFilter(body.filter);
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.CutTurf);
    return TurfDto.of(await this.turfs.create(authorization, { name: body.name, anchor: body.anchor, filter }));
  }

  @Get(':id')
  @ApiOkResponse({ type: TurfDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto): Promise<TurfDto> {
    const authorization = await this.authorizeFor(user, id, Permission.ReadTurf);
    const turf = await this.turfs.visible(authorization, id);
    return TurfDto.of(turf, await this.assignments.list(authorization, { turfIds: [id] }));
  }

  @Post(':id/materialize')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Freeze a draft's voters: later imports change the voter file, not the turf" })
  @ApiOkResponse({ type: TurfDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already materialized' })
  async materialize(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto): Promise<TurfDto> {
    const authorization = await this.authorizeFor(user, id, Permission.CutTurf);
    return TurfDto.of(await this.turfs.materialize(authorization, id));
  }

  @Post(':id/split')
  @ApiOperation({ summary: 'Split a materialized turf into parts: whole precincts, or equal sizes' })
  @ApiCreatedResponse({ type: TurfPartsDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Too many parts for its voters or precincts' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not materialized, or already split' })
  async split(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto, @Body() body: SplitTurfDto): Promise<TurfPartsDto> {
    const authorization = await this.authorizeFor(user, id, Permission.CutTurf);
    return { parts: (await this.turfs.split(authorization, id, body.parts, body.method)).map((part) => TurfDto.of(part)) };
  }

  @Post(':id/assignments')
  @ApiOperation({ summary: 'Assign a turf to a member organization for a campaign' })
  @ApiCreatedResponse({ type: TurfAssignmentDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      "Some voters are in another organization's turf for the campaign: details.conflictingVoters and details.assignableVoters; send skipConflicts to assign the rest",
  })
  async assign(@SignedIn() user: SignedInUser, @Param() { id }: IdParamsDto, @Body() body: AssignTurfDto): Promise<TurfAssignmentDto> {
    const authorization = await this.authorizeFor(user, id, Permission.AssignTurf);
    return TurfAssignmentDto.of(await this.assignments.assign(authorization, id, body));
  }

  private async authorizeFor(user: SignedInUser, id: string, permission: Permission): Promise<Authorization> {
    return authorizeForRecord(this.policy, user, { what: 'Turf', id, allianceId: await this.turfs.allianceOf(id) }, permission);
  }
}
