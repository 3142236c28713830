import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { type OptOutAdministrator, OptOutAdminService, type PhoneOptOutState } from '@app/messaging';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { OptOutAllianceQueryDto, OptOutChangeDto, PhoneOptOutStateDto } from './opt-out.dto';

/** Text opt-outs by phone, for alliance admins: the history, an opt-out taken by other means, an audited reversal. */
@ApiTags('opt-outs')
@Controller('opt-outs')
@RequireSession()
export class OptOutsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly optOuts: OptOutAdminService,
  ) {}

  @Get(':phone')
  @ApiOperation({ summary: "A phone's text opt-out state and history in the alliance; alliance admins only" })
  @ApiOkResponse({ type: PhoneOptOutStateDto })
  async state(@SignedIn() user: SignedInUser, @Param('phone') phone: string, @Query() query: OptOutAllianceQueryDto): Promise<PhoneOptOutStateDto> {
    return this.answer(user, phone, query, (admin) => this.optOuts.state(admin, phone));
  }

  @Post(':phone')
  @HttpCode(200)
  @ApiOperation({ summary: 'Opt a phone out of texts for the whole alliance (a voter asked by phone or email); audited' })
  @ApiOkResponse({ type: PhoneOptOutStateDto })
  async optOut(
    @SignedIn() user: SignedInUser,
    @Param('phone') phone: string,
    @Query() query: OptOutAllianceQueryDto,
    @Body() body: OptOutChangeDto,
  ): Promise<PhoneOptOutStateDto> {
    return this.answer(user, phone, query, (admin) => this.optOuts.optOut(admin, phone, body.reason));
  }

  @Post(':phone/reversal')
  @HttpCode(200)
  @ApiOperation({ summary: "Reverse a phone's text opt-out, with a reason; audited. The voter reverses their own by texting START" })
  @ApiOkResponse({ type: PhoneOptOutStateDto })
  async reverse(
    @SignedIn() user: SignedInUser,
    @Param('phone') phone: string,
    @Query() query: OptOutAllianceQueryDto,
    @Body() body: OptOutChangeDto,
  ): Promise<PhoneOptOutStateDto> {
    return this.answer(user, phone, query, (admin) => this.optOuts.reverse(admin, phone, body.reason));
  }

  /** Authorizes an alliance admin, acts, and answers the phone's state. */
  private async answer(
    user: SignedInUser,
    phone: string,
    query: OptOutAllianceQueryDto,
    act: (admin: OptOutAdministrator) => Promise<PhoneOptOutState>,
  ): Promise<PhoneOptOutStateDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ManageOptOuts);
    return PhoneOptOutStateDto.of(phone, await act({ userId: authorization.userId, allianceId: authorization.allianceId }));
  }
}
