import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { AllianceEntity } from './entities/alliance.entity';
import { AppUserEntity } from './entities/app-user.entity';
import type { MembershipRole } from './entities/membership-role.enum';
import { MembershipEntity } from './entities/membership.entity';
import type { OrganizationKind } from './entities/organization-kind.enum';
import { OrganizationEntity } from './entities/organization.entity';

export interface OrganizationUpsert {
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly parentAnchorId: string | null;
  readonly regionCounties: readonly string[];
}

/** All identity queries. Upserts are keyed by natural keys (slugs, email) so seeding twice is a no-op. */
@Injectable()
export class IdentityRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  transaction<T>(work: (repository: IdentityRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction((manager) => work(new IdentityRepository(manager)));
  }

  findAllianceBySlug(slug: string): Promise<AllianceEntity | null> {
    return this.manager.findOne(AllianceEntity, { where: { slug } });
  }

  async listAllianceSlugs(limit: number): Promise<string[]> {
    const alliances = await this.manager.find(AllianceEntity, { select: { slug: true }, order: { slug: 'ASC' }, take: limit });
    return alliances.map((alliance) => alliance.slug);
  }

  async listAllianceIds(): Promise<string[]> {
    const alliances = await this.manager.find(AllianceEntity, { select: { id: true }, order: { slug: 'ASC' } });
    return alliances.map((alliance) => alliance.id);
  }

  async upsertAlliance(slug: string, name: string): Promise<AllianceEntity> {
    await this.manager.createQueryBuilder().insert().into(AllianceEntity).values({ slug, name }).orIgnore().execute();
    return this.manager.findOneOrFail(AllianceEntity, { where: { slug } });
  }

  async upsertOrganization(allianceId: string, organization: OrganizationUpsert): Promise<OrganizationEntity> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(OrganizationEntity)
      .values({ allianceId, ...organization, regionCounties: [...organization.regionCounties] })
      .orIgnore()
      .execute();
    return this.manager.findOneOrFail(OrganizationEntity, { where: { allianceId, slug: organization.slug } });
  }

  async upsertUser(email: string, displayName: string, passwordHash: string): Promise<AppUserEntity> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(AppUserEntity)
      .values({ email: email.toLowerCase(), displayName, passwordHash })
      .orUpdate(['display_name', 'password_hash'], ['email'])
      .execute();
    return this.manager.findOneOrFail(AppUserEntity, { where: { email: email.toLowerCase() } });
  }

  async ensureMembership(userId: string, allianceId: string, organizationId: string | null, role: MembershipRole): Promise<void> {
    await this.manager.createQueryBuilder().insert().into(MembershipEntity).values({ userId, allianceId, organizationId, role }).orIgnore().execute();
  }

  findOrganizationBySlug(allianceId: string, slug: string): Promise<OrganizationEntity | null> {
    return this.manager.findOne(OrganizationEntity, { where: { allianceId, slug } });
  }

  async findUserIdByEmail(email: string): Promise<string | null> {
    const user = await this.manager.findOne(AppUserEntity, { select: { id: true }, where: { email: email.toLowerCase() } });
    return user?.id ?? null;
  }

  async countOrganizations(allianceId: string): Promise<{ anchors: number; members: number }> {
    const rows = (await this.manager.query(
      `SELECT count(*) FILTER (WHERE kind = 'anchor')::int AS anchors, count(*) FILTER (WHERE kind = 'member')::int AS members
         FROM organization WHERE alliance_id = $1`,
      [allianceId],
    )) as Array<{ anchors: number; members: number }>;
    return rows[0] ?? { anchors: 0, members: 0 };
  }
}
