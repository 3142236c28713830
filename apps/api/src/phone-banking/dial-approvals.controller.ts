import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFoundDomainException } from '@app/common';
import { PhoneBankService } from '@app/contacts';
import { type ClickerSession, DialApprovalService } from '@app/dialer';
import { Permission, ROLE_PERMISSIONS, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { SessionParamsDto } from './calling.dto';
import { ApproveDialDto, DialApprovalDto, NextApprovalDto } from './dial-approvals.dto';

/**
 * A clicker's approvals in a power or predictive campaign: mobile and unknown-type numbers are
 * dialed only on a person's action, so a volunteer approves each such dial, one voter at a time,
 * from their own calling session. Every route acts only on the caller's own session.
 */
@ApiTags('calling')
@Controller('calling-sessions/:id/approvals')
@RequireSession()
export class DialApprovalsController {
  constructor(
    private readonly phoneBank: PhoneBankService,
    private readonly approvals: DialApprovalService,
  ) {}

  @Get('next')
  @ApiOperation({
    summary: 'The next mobile or unknown-type voter of your organization waiting for a dial approval (first name, city, last 4 digits), or why there is none',
  })
  @ApiOkResponse({ type: NextApprovalDto })
  async next(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto): Promise<NextApprovalDto> {
    return NextApprovalDto.of(await this.approvals.next(await this.ownSession(user, params.id)));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve dialing a voter (valid 2 minutes; the dialer places one call for it); approving again gives the same approval' })
  @ApiOkResponse({ type: DialApprovalDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such call-list row in your session’s campaign and organization' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The voter cannot be approved now (a landline, called already, outside their hours, …)' })
  async approve(@SignedIn() user: SignedInUser, @Param() params: SessionParamsDto, @Body() body: ApproveDialDto): Promise<DialApprovalDto> {
    return DialApprovalDto.of(await this.approvals.approve(await this.ownSession(user, params.id), body.campaignContactId));
  }

  /** The caller's own session in an alliance where they may still call; anyone else's answers as missing (as calling-sessions does). */
  private async ownSession(user: SignedInUser, sessionId: string): Promise<ClickerSession> {
    const session = await this.phoneBank.sessionById(sessionId);
    const mayCall = user.memberships.some(
      (membership) => membership.allianceId === session.allianceId && ROLE_PERMISSIONS[membership.role].has(Permission.CallVoters),
    );
    if (session.userId !== user.userId || !mayCall) throw new NotFoundDomainException('Calling session', sessionId);
    return session;
  }
}
