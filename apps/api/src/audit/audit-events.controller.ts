import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicyService, AUDIT_PAGE_SIZE, AuditLogService, Permission, type SignedInUser } from '@app/identity';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { AuditEventDto, AuditEventPageDto, AuditEventQueryDto } from './audit-event.dto';

@ApiTags('audit')
@Controller('audit-events')
@RequireSession()
export class AuditEventsController {
  constructor(
    private readonly policy: AccessPolicyService,
    private readonly audit: AuditLogService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The alliance's sensitive actions (exports, turf assignments, role changes, sign-ins), newest first; alliance admins only" })
  @ApiOkResponse({ type: AuditEventPageDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: AuditEventQueryDto): Promise<AuditEventPageDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadAuditLog);
    const rows = await this.audit.list(authorization.allianceId, query.before, AUDIT_PAGE_SIZE + 1);
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    return { events: page.map((row) => AuditEventDto.of(row)), nextCursor: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null };
  }
}
