import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { SegmentEvidenceService } from '@app/segments';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AllianceQueryDto } from '../auth/alliance-query.dto';
import { ValuesAnswerDto, VoterIdParamsDto, VoterSegmentDto } from './segments.dto';

@ApiTags('segments')
@Controller('voters/:id')
@RequireSession()
export class VoterSegmentsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly evidence: SegmentEvidenceService,
  ) {}

  @Get('segment')
  @ApiOperation({ summary: "A voter's segment: the active model's call, updated by their answers, and why" })
  @ApiOkResponse({ type: VoterSegmentDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such voter among those you may see' })
  async segment(@SignedIn() user: SignedInUser, @Param() { id }: VoterIdParamsDto, @Query() query: AllianceQueryDto): Promise<VoterSegmentDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadVoterSegment);
    return this.evidence.voterSegment(authorization, id);
  }

  @Post('values-answers')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Record the voter's answer to a values question; their segment is updated by Bayes' rule" })
  @ApiOkResponse({ type: VoterSegmentDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Unknown question or answer' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async answer(@SignedIn() user: SignedInUser, @Param() { id }: VoterIdParamsDto, @Body() body: ValuesAnswerDto): Promise<VoterSegmentDto> {
    const authorization = await this.policy.authorize(user, { slug: body.alliance }, Permission.RecordValuesAnswers);
    return this.evidence.recordAnswer(authorization, id, {
      questionKey: body.questionKey,
      answerKey: body.answerKey,
      source: body.source ?? 'manual',
      sourceReference: body.sourceReference ?? null,
    });
  }
}
