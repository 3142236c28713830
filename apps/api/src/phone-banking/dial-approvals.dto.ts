import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { DialApproval, NextApproval } from '@app/dialer';

export class ApproveDialDto {
  @ApiProperty({ example: '1042', description: 'The call-list row to dial, as GET …/approvals/next gave it' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'campaignContactId must be the id of a call-list row (digits, as GET approvals/next gives it)' })
  campaignContactId!: string;
}

export class VoterToApproveDto {
  @ApiProperty() campaignContactId!: string;
  @ApiProperty({ nullable: true, type: String }) firstName!: string | null;
  @ApiProperty({ nullable: true, type: String }) city!: string | null;
  @ApiProperty({ example: '0123', description: 'The phone’s last four digits; the rest stays with the dialer' }) phoneLast4!: string;
  @ApiProperty({ enum: ['mobile', 'voip', 'unknown'], description: 'Never landline: the dialer calls those by itself' }) lineType!: string;
}

export class NextApprovalDto {
  @ApiProperty({ enum: ['voter', 'none'] }) kind!: 'voter' | 'none';
  @ApiPropertyOptional({ type: VoterToApproveDto }) voter?: VoterToApproveDto;
  @ApiPropertyOptional({ enum: ['session_not_active', 'campaign_not_active', 'not_paced', 'outside_calling_window', 'no_voters_left'] }) reason?: string;
  @ApiPropertyOptional() message?: string;
  @ApiProperty({ description: 'Dials you approved in this session' }) approvedCount!: number;

  static of(next: NextApproval): NextApprovalDto {
    if (next.kind === 'none') return { kind: 'none', reason: next.reason, message: next.message, approvedCount: next.approvedCount };
    const { voter } = next;
    return { kind: 'voter', voter: { ...voter, lineType: voter.lineType ?? 'unknown' }, approvedCount: next.approvedCount };
  }
}

export class DialApprovalDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() campaignContactId!: string;
  @ApiProperty() approvedAt!: Date;
  @ApiProperty({ description: 'The dialer places the call before this, or not at all' }) expiresAt!: Date;
  @ApiProperty({ description: 'The voter was approved already (a second click): this is that approval, unchanged' }) repeated!: boolean;

  static of(approval: DialApproval): DialApprovalDto {
    return {
      id: approval.id,
      campaignContactId: approval.campaignContactId,
      approvedAt: approval.approvedAt,
      expiresAt: approval.expiresAt,
      repeated: approval.repeated,
    };
  }
}
