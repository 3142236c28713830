import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsUUID } from 'class-validator';
import { MembershipRole, OrganizationKind, type PersonView } from '@app/identity';
import { OrganizationReferenceDto } from './organization.dto';

const ROLES = Object.values(MembershipRole).join(', ');

export class MembershipParamsDto {
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' })
  @IsEnum(MembershipRole, { message: `role must be one of ${ROLES}` })
  role!: MembershipRole;
}

export class MembershipOrganizationDto extends OrganizationReferenceDto {
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' }) kind!: OrganizationKind;
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid', description: 'For PATCH and DELETE /api/memberships/{id}' }) id!: string;
  @ApiProperty({ type: MembershipOrganizationDto, nullable: true, description: 'Null for an alliance-wide role' })
  organization!: MembershipOrganizationDto | null;
  @ApiProperty({ enum: MembershipRole, enumName: 'MembershipRole' }) role!: MembershipRole;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [MembershipDto], description: 'The memberships of theirs that you manage' }) memberships!: MembershipDto[];
}

export class AlliancePeopleDto {
  @ApiProperty() alliance!: string;
  @ApiProperty({ type: [PersonDto] }) people!: PersonDto[];
}

export class OrganizationPeopleDto extends AlliancePeopleDto {
  @ApiProperty({ type: OrganizationReferenceDto }) organization!: OrganizationReferenceDto;
}

export function mapPerson(person: PersonView): PersonDto {
  return {
    userId: person.userId,
    email: person.email,
    displayName: person.displayName,
    memberships: person.memberships.map((membership) => ({
      id: membership.id,
      organization: membership.organization === null ? null : { ...membership.organization },
      role: membership.role,
      createdAt: membership.createdAt.toISOString(),
    })),
  };
}
