import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AllianceEntity, AppUserEntity, MembershipEntity, type MembershipRole, OrganizationEntity, OrganizationKind } from '@app/identity';

const unique = (): string => randomBytes(4).toString('hex');

/** Inserts rows straight through the DataSource so tests can set up any shape, valid or not. */
export class IdentityFactory {
  constructor(private readonly dataSource: DataSource) {}

  alliance(overrides: Partial<AllianceEntity> = {}): Promise<AllianceEntity> {
    return this.dataSource.getRepository(AllianceEntity).save({ slug: `alliance-${unique()}`, name: 'Test Alliance', ...overrides });
  }

  anchor(allianceId: string, overrides: Partial<OrganizationEntity> = {}): Promise<OrganizationEntity> {
    return this.dataSource.getRepository(OrganizationEntity).save({
      allianceId,
      kind: OrganizationKind.Anchor,
      parentAnchorId: null,
      slug: `anchor-${unique()}`,
      name: 'Test Anchor',
      regionCounties: ['Alameda'],
      ...overrides,
    });
  }

  member(allianceId: string, parentAnchorId: string, overrides: Partial<OrganizationEntity> = {}): Promise<OrganizationEntity> {
    return this.dataSource.getRepository(OrganizationEntity).save({
      allianceId,
      kind: OrganizationKind.Member,
      parentAnchorId,
      slug: `member-${unique()}`,
      name: 'Test Member',
      regionCounties: [],
      ...overrides,
    });
  }

  user(overrides: Partial<AppUserEntity> = {}): Promise<AppUserEntity> {
    return this.dataSource
      .getRepository(AppUserEntity)
      .save({ email: `user-${unique()}@example.test`, displayName: 'Test User', passwordHash: null, ...overrides });
  }

  membership(userId: string, allianceId: string, organizationId: string | null, role: MembershipRole): Promise<MembershipEntity> {
    return this.dataSource.getRepository(MembershipEntity).save({ userId, allianceId, organizationId, role });
  }
}
