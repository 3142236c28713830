import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import type { MembershipRole } from '../entities/membership-role.enum';
import type { OrganizationKind } from '../entities/organization-kind.enum';
import { postgresErrorOf, UNIQUE_VIOLATION } from './postgres-error.util';

export interface MembershipRow {
  readonly id: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly allianceId: string;
  /** Null for an alliance-wide role. */
  readonly organizationId: string | null;
  readonly organizationSlug: string | null;
  readonly organizationName: string | null;
  readonly organizationKind: OrganizationKind | null;
  readonly role: MembershipRole;
  readonly createdAt: Date;
}

const SELECT = `SELECT m.id, m.user_id AS "userId", u.email, u.display_name AS "displayName", m.alliance_id AS "allianceId",
                       m.organization_id AS "organizationId", o.slug AS "organizationSlug", o.name AS "organizationName",
                       o.kind AS "organizationKind", m.role, m.created_at AS "createdAt"
                  FROM membership m
                  JOIN app_user u ON u.id = m.user_id
                  LEFT JOIN organization o ON o.id = m.organization_id`;

/** Queries on memberships (user × organization × role). */
@Injectable()
export class MembershipRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  /** An alliance's memberships: all of them, or those in some organizations. By person, then organization. */
  list(allianceId: string, organizationIds: readonly string[] | 'all'): Promise<MembershipRow[]> {
    return this.manager.query(
      `${SELECT}
        WHERE m.alliance_id = $1 AND ($2::boolean OR m.organization_id = ANY($3::uuid[]))
        ORDER BY lower(u.display_name), u.email, o.slug NULLS FIRST, m.role`,
      [allianceId, organizationIds === 'all', organizationIds === 'all' ? [] : [...organizationIds]],
    );
  }

  async findById(id: string): Promise<MembershipRow | null> {
    const rows: MembershipRow[] = await this.manager.query(`${SELECT} WHERE m.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async exists(userEmail: string, allianceId: string, organizationId: string | null, role: MembershipRole): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE u.email = $1 AND m.alliance_id = $2 AND m.organization_id IS NOT DISTINCT FROM $3 AND m.role = $4`,
      [userEmail.toLowerCase(), allianceId, organizationId, role],
    );
    return rows.length > 0;
  }

  /**
   * The ids of the alliance's admins (alliance-wide), locked to the end of the transaction. Two
   * admins removing each other at once then run one after the other, and the second sees the first's change.
   */
  async lockAllianceAdmins(allianceId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `SELECT id FROM membership WHERE alliance_id = $1 AND organization_id IS NULL AND role = 'alliance_admin' ORDER BY id FOR UPDATE`,
      [allianceId],
    );
    return rows.map((row) => row.id);
  }

  /** The new membership's id, or null when the user already had it. */
  async insertIfMissing(userId: string, allianceId: string, organizationId: string | null, role: MembershipRole): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `INSERT INTO membership (user_id, alliance_id, organization_id, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT membership_unique DO NOTHING RETURNING id`,
      [userId, allianceId, organizationId, role],
    );
    return rows[0]?.id ?? null;
  }

  /** False when the membership no longer has the role it was read with (changed or removed meanwhile). */
  async changeRole(id: string, from: MembershipRole, to: MembershipRole): Promise<boolean> {
    try {
      const [, affected]: [unknown, number] = await this.manager.query(`UPDATE membership SET role = $3 WHERE id = $1 AND role = $2`, [id, from, to]);
      return affected > 0;
    } catch (error) {
      if (postgresErrorOf(error)?.code === UNIQUE_VIOLATION) {
        throw new DomainException(DomainErrorCode.Conflict, `That person already holds the role ${to} there`, { field: 'role' });
      }
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.manager.query(`DELETE FROM membership WHERE id = $1`, [id]);
    return affected > 0;
  }
}
