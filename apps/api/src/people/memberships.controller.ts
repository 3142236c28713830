import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Patch } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MembershipService, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { ChangeRoleDto, mapPerson, MembershipParamsDto, PersonDto } from './person.dto';

@ApiTags('people')
@Controller('memberships')
@RequireSession()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such membership in your alliances' })
@ApiConflictResponse({
  type: ErrorResponseDto,
  description: "It would remove the alliance's last admin (details.reason: last_alliance_admin), or it changed meanwhile",
})
export class MembershipsController {
  constructor(private readonly memberships: MembershipService) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Change the role of a membership you manage, to a role you may grant' })
  @ApiOkResponse({ type: PersonDto, description: 'The person with the changed membership' })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async changeRole(@SignedIn() user: SignedInUser, @Param() params: MembershipParamsDto, @Body() body: ChangeRoleDto): Promise<PersonDto> {
    return mapPerson(await this.memberships.changeRole(user, params.id, body.role));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a membership you manage' })
  @ApiNoContentResponse()
  async remove(@SignedIn() user: SignedInUser, @Param() params: MembershipParamsDto): Promise<void> {
    await this.memberships.remove(user, params.id);
  }
}
