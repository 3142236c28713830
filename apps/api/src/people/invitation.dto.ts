import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import {
  DEFAULT_INVITATION_DAYS,
  type InvitationPreview,
  type InvitationView,
  MAXIMUM_INVITATION_DAYS,
  MAXIMUM_PASSWORD_LENGTH,
  MembershipRole,
  MINIMUM_PASSWORD_LENGTH,
  OrganizationKind,
} from '@app/identity';

const ROLES = Object.values(MembershipRole).join(', ');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export class CreateInvitationDto {
  @ApiPropertyOptional({ description: 'The alliance slug; may be left out when you belong to one alliance only' })
  @IsOptional()
  @IsString({ message: 'alliance must be an alliance slug' })
  alliance?: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'boyle-heights-tenants-union',
    description: 'Organization slug; null for alliance_admin and data_lead',
  })
  // Null is a value here (the alliance-wide roles), so only a missing field is refused.
  @ValidateIf((_dto, value) => value !== null)
  @IsString({ message: 'organization must be an organization slug, or null for an alliance-wide role' })
  @MaxLength(63, { message: 'organization must be an organization slug, or null for an alliance-wide role' })
  organization!: string | null;

  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' })
  @IsEnum(MembershipRole, { message: `role must be one of ${ROLES}` })
  role!: MembershipRole;

  @ApiProperty({ example: 'new.volunteer@example.org' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  email!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAXIMUM_INVITATION_DAYS, default: DEFAULT_INVITATION_DAYS })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `expiresInDays must be a whole number from 1 to ${MAXIMUM_INVITATION_DAYS}` })
  @Min(1, { message: `expiresInDays must be a whole number from 1 to ${MAXIMUM_INVITATION_DAYS}` })
  @Max(MAXIMUM_INVITATION_DAYS, { message: `expiresInDays must be a whole number from 1 to ${MAXIMUM_INVITATION_DAYS}` })
  expiresInDays?: number;
}

export class InvitedOrganizationDto {
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' }) kind!: OrganizationKind;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() alliance!: string;
  @ApiProperty({ type: InvitedOrganizationDto, nullable: true }) organization!: InvitedOrganizationDto | null;
  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' }) role!: MembershipRole;
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;

  static of(invitation: InvitationView): InvitationDto {
    const { id, allianceSlug, organization, role, email, expiresAt } = invitation;
    return { id, alliance: allianceSlug, organization: organization && { ...organization }, role, email, expiresAt: expiresAt.toISOString() };
  }
}

/** The secret of a link travels in the body, never the URL: URLs end up in access logs. */
export class InvitationTokenDto {
  @ApiProperty({ description: 'The secret from the invitation link (the part after /#/invitations/)' })
  @IsString({ message: 'token must be the secret from the invitation link' })
  @Matches(TOKEN, { message: 'token must be the secret from the invitation link' })
  token!: string;
}

export class AcceptInvitationDto extends InvitationTokenDto {
  @ApiPropertyOptional({ description: 'How the new account is named; not needed when the email has an account already' })
  @IsOptional()
  @IsString({ message: 'displayName must be a string' })
  @Length(1, 200, { message: 'displayName must be 1 to 200 characters' })
  displayName?: string;

  @ApiProperty({
    format: 'password',
    description: `A new account's password (at least ${MINIMUM_PASSWORD_LENGTH} characters), or the current password of the account the email has already`,
  })
  @IsString({ message: 'password must be a string' })
  @Length(1, MAXIMUM_PASSWORD_LENGTH, { message: `password must be 1 to ${MAXIMUM_PASSWORD_LENGTH} characters` })
  password!: string;
}

export class InvitationPreviewDto {
  @ApiProperty() alliance!: string;
  @ApiProperty() allianceName!: string;
  @ApiProperty({ type: InvitedOrganizationDto, nullable: true, description: 'Null for an alliance-wide role' }) organization!: InvitedOrganizationDto | null;
  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' }) role!: MembershipRole;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: 'True when accepting asks for the current password of an existing account instead of a new password and a name' })
  existingAccount!: boolean;

  static of(preview: InvitationPreview): InvitationPreviewDto {
    const { allianceSlug, allianceName, organization, role, expiresAt, existingAccount } = preview;
    return {
      alliance: allianceSlug,
      allianceName,
      organization: organization && { ...organization },
      role,
      expiresAt: expiresAt.toISOString(),
      existingAccount,
    };
  }
}
