import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { correlationIdOf, DomainErrorCode, DomainException } from '@app/common';
import { AccessPolicyService, type Authorization, Permission, type SignedInUser } from '@app/identity';
import {
  explainModel,
  SegmentApplicationService,
  SegmentDistributionService,
  SegmentModelService,
  SegmentModelTrainingService,
  SegmentTaxonomyService,
} from '@app/segments';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { ErrorResponseDto } from '../errors/error-response.dto';
import {
  CreateRuleModelDto,
  DistributionDto,
  DistributionQueryDto,
  ModelIdParamsDto,
  RuleCountsDto,
  RuleCountsRequestDto,
  SegmentApplicationDto,
  SegmentModelDto,
  SegmentModelListDto,
  TrainModelFieldsDto,
} from './segments.dto';

@ApiTags('segments')
@Controller('segment-models')
@RequireSession()
export class SegmentModelsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly models: SegmentModelService,
    private readonly training: SegmentModelTrainingService,
    private readonly applications: SegmentApplicationService,
    private readonly distributions: SegmentDistributionService,
    private readonly taxonomies: SegmentTaxonomyService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The alliance's segment models, newest first, with their evaluation and latest run" })
  @ApiOkResponse({ type: SegmentModelListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AllianceQueryDto): Promise<SegmentModelListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadSegments);
    const models = await this.models.list(authorization.allianceId);
    return { models: await Promise.all(models.map(async (model) => SegmentModelDto.of(model, await this.applications.latestForModel(model.id)))) };
  }

  @Post('rule-counts')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "A rule list's live count: voters per rule (first match) and per segment, among the voters you may see" })
  @ApiOkResponse({ type: RuleCountsDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'details.field names the rule or condition at fault' })
  async countRules(@SignedIn() user: SignedInUser, @Body() body: RuleCountsRequestDto): Promise<RuleCountsDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageSegments);
    return this.models.countRules(authorization, body.definition);
  }

  @Post('rules')
  @ApiOperation({ summary: 'Save an ordered rule list as a new model version (ready to apply at once)' })
  @ApiCreatedResponse({ type: SegmentModelDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async createRules(@SignedIn() user: SignedInUser, @Body() body: CreateRuleModelDto): Promise<SegmentModelDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.ManageSegments);
    const model = await this.models.createRules(authorization, { name: body.name, definition: body.definition });
    return SegmentModelDto.of(model, null);
  }

  @Post('trained')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(FileInterceptor('poll'))
  @ApiOperation({ summary: 'Upload a values poll (CSV voter_id,segment) and train a model from it; training runs as a job' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['poll'],
      properties: {
        poll: { type: 'string', format: 'binary' },
        alliance: { type: 'string' },
        name: { type: 'string' },
        folds: { type: 'integer', default: 5 },
        seed: { type: 'integer', default: 1 },
        maxUnmatchedRate: { type: 'number', default: 0.2 },
      },
    },
  })
  @ApiAcceptedResponse({ type: SegmentModelDto })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'The poll is malformed, names unknown segments or repeats a voter, or mostly matches no voter',
  })
  async train(
    @SignedIn() user: SignedInUser,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: Record<string, unknown>,
  ): Promise<SegmentModelDto> {
    if (!file) throw new DomainException(DomainErrorCode.ValidationFailed, 'Send the poll as the multipart field named "poll"', { field: 'poll' });
    const options = await validFields(fields);
    const authorization = await this.policy.authorize(user, { slug: options.alliance }, Permission.ManageSegments);
    const model = await this.models.createTrained(authorization, {
      name: options.name,
      fileName: file.originalname.slice(0, 200) || 'poll.csv',
      content: file.buffer,
      folds: options.folds,
      seed: options.seed,
      maxUnmatchedRate: options.maxUnmatchedRate,
    });
    await this.training.enqueue(model.id);
    return SegmentModelDto.of(model, null);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One model: definition, evaluation, weights in words, latest run' })
  @ApiOkResponse({ type: SegmentModelDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@SignedIn() user: SignedInUser, @Param() { id }: ModelIdParamsDto): Promise<SegmentModelDto> {
    const authorization = await this.authorizeFor(user, id, Permission.ReadSegments);
    const model = await this.models.find(authorization.allianceId, id);
    const explanation = model.definition ? explainModel(model, await this.taxonomies.find(model.allianceId, model.taxonomyId)) : undefined;
    return SegmentModelDto.of(model, await this.applications.latestForModel(id), explanation);
  }

  @Post(':id/applications')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Apply the model to every active voter (a job; GET /segment-applications/{id} shows progress); it becomes the active model' })
  @ApiAcceptedResponse({ type: SegmentApplicationDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The model is not ready' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  async apply(@SignedIn() user: SignedInUser, @Param() { id }: ModelIdParamsDto, @Req() request: IncomingMessage): Promise<SegmentApplicationDto> {
    const authorization = await this.authorizeFor(user, id, Permission.ManageSegments);
    const application = await this.applications.request(authorization, id, correlationIdOf(request));
    await this.applications.enqueue(application.id);
    return SegmentApplicationDto.of(application);
  }

  @Get(':id/distribution')
  @ApiOperation({ summary: "Voters per segment by county or by member organization's turf, among the voters you may see" })
  @ApiOkResponse({ type: DistributionDto })
  async distribution(@SignedIn() user: SignedInUser, @Param() { id }: ModelIdParamsDto, @Query() query: DistributionQueryDto): Promise<DistributionDto> {
    const authorization = await this.authorizeFor(user, id, Permission.ReadSegments);
    return this.distributions.distribution(authorization, id, query.by ?? 'county');
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'Download voter_id,segment,probability for every voter the model classified (audited)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not applied yet' })
  async export(@SignedIn() user: SignedInUser, @Param() { id }: ModelIdParamsDto): Promise<StreamableFile> {
    const authorization = await this.authorizeFor(user, id, Permission.ManageSegments);
    const csv = await this.distributions.exportCsv(authorization, id);
    return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="segments-${id}.csv"` });
  }

  private async authorizeFor(user: SignedInUser, id: string, permission: Permission): Promise<Authorization> {
    const allianceId = await this.models.allianceOf(id);
    if (!allianceId) throw new DomainException(DomainErrorCode.NotFound, `segment model ${id} was not found`, { what: 'segment model', id });
    return authorizeForRecord(this.policy, user, { what: 'segment model', id, allianceId }, permission);
  }
}

async function validFields(fields: Record<string, unknown>): Promise<TrainModelFieldsDto> {
  const options = plainToInstance(TrainModelFieldsDto, fields);
  const [first] = await validate(options, { whitelist: true, forbidNonWhitelisted: true });
  if (first) {
    const message = Object.values(first.constraints ?? {})[0] ?? `${first.property} is not allowed`;
    throw new DomainException(DomainErrorCode.ValidationFailed, message, { field: first.property });
  }
  return options;
}
