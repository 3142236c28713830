import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { MAXIMUM_PASSWORD_LENGTH, MINIMUM_PASSWORD_LENGTH } from '@app/identity';

export class RequestPasswordResetDto {
  @ApiProperty({ example: 'volunteer@example.org' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320, { message: 'email must be at most 320 characters' })
  email!: string;
}

/** The secret of a link travels in the body, never the URL: URLs end up in access logs. */
export class CompletePasswordResetDto {
  @ApiProperty({ description: 'The secret from the reset link (the part after /#/password-resets/)' })
  @IsString({ message: 'token must be the secret from the password reset link' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the secret from the password reset link' })
  token!: string;

  @ApiProperty({ format: 'password', minLength: MINIMUM_PASSWORD_LENGTH })
  @IsString({ message: 'password must be a string' })
  @Length(MINIMUM_PASSWORD_LENGTH, MAXIMUM_PASSWORD_LENGTH, {
    message: `password must be ${MINIMUM_PASSWORD_LENGTH} to ${MAXIMUM_PASSWORD_LENGTH} characters`,
  })
  password!: string;
}
