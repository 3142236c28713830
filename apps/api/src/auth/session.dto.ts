import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { MembershipRole, type SignedInUser } from '@app/identity';

export class SignInDto {
  @ApiProperty({ example: 'data@demo.crossroads.test' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password must not be empty' })
  // argon2 would hash a megabyte happily; a cap keeps a sign-in request cheap to refuse.
  @MaxLength(1024, { message: 'password must be at most 1024 characters' })
  password!: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
}

export class SessionMembershipDto {
  @ApiProperty({ format: 'uuid' }) allianceId!: string;
  @ApiProperty() allianceSlug!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) organizationSlug!: string | null;
  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' }) role!: MembershipRole;
}

export class SessionResponseDto {
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
  @ApiProperty({ type: [SessionMembershipDto] }) memberships!: SessionMembershipDto[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: 'Send back in the X-CSRF-Token header with every request that changes something' }) csrfToken!: string;

  static of(user: SignedInUser, csrfToken: string): SessionResponseDto {
    return {
      user: { id: user.userId, email: user.email, displayName: user.displayName },
      memberships: user.memberships.map((membership) => ({ ...membership })),
      expiresAt: user.expiresAt.toISOString(),
      csrfToken,
    };
  }
}
