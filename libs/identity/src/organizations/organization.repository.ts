import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import type { OrganizationKind } from '../entities/organization-kind.enum';
import { FOREIGN_KEY_VIOLATION, postgresErrorOf, UNIQUE_VIOLATION } from '../people/postgres-error.util';

export interface OrganizationRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly regionCounties: string[];
  readonly parentAnchorId: string | null;
}

export interface NewOrganizationRow {
  readonly slug: string;
  readonly name: string;
  readonly kind: OrganizationKind;
  readonly parentAnchorId: string | null;
  readonly regionCounties: readonly string[];
}

/** What still hangs off an organization: member organizations (for an anchor) and people. */
export interface OrganizationDependents {
  readonly members: number;
  readonly people: number;
}

const COLUMNS = `id, slug, name, kind, region_counties AS "regionCounties", parent_anchor_id AS "parentAnchorId"`;

/** Every query about organizations as things to list and change (the policy layer reads its own few facts). */
@Injectable()
export class OrganizationRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  transaction<T>(work: (repository: OrganizationRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction((manager) => work(new OrganizationRepository(manager)));
  }

  /** Anchors first, then members, each by name. */
  list(allianceId: string): Promise<OrganizationRow[]> {
    return this.manager.query(`SELECT ${COLUMNS} FROM organization WHERE alliance_id = $1 ORDER BY kind, name, slug`, [allianceId]);
  }

  /** With `lock`, the row stays locked to the end of the transaction: no membership or member organization can attach to it meanwhile. */
  async findBySlug(allianceId: string, slug: string, lock = false): Promise<OrganizationRow | null> {
    const rows: OrganizationRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM organization WHERE alliance_id = $1 AND slug = $2${lock ? ' FOR UPDATE' : ''}`,
      [allianceId, slug],
    );
    return rows[0] ?? null;
  }

  async insert(allianceId: string, organization: NewOrganizationRow): Promise<OrganizationRow> {
    try {
      const rows: OrganizationRow[] = await this.manager.query(
        `INSERT INTO organization (alliance_id, kind, parent_anchor_id, slug, name, region_counties)
         VALUES ($1, $2, $3, $4, $5, $6::text[]) RETURNING ${COLUMNS}`,
        [allianceId, organization.kind, organization.parentAnchorId, organization.slug, organization.name, [...organization.regionCounties]],
      );
      return rows[0];
    } catch (error) {
      const failure = postgresErrorOf(error);
      if (failure?.code === UNIQUE_VIOLATION && failure.constraint === 'organization_alliance_slug_unique') {
        throw new DomainException(DomainErrorCode.Conflict, `The slug "${organization.slug}" is already taken in this alliance`, { field: 'slug' });
      }
      // The anchor was deleted between the look-up and the insert.
      if (failure?.code === FOREIGN_KEY_VIOLATION) {
        throw new DomainException(DomainErrorCode.NotFound, 'The anchor no longer exists', { field: 'anchor' });
      }
      throw error;
    }
  }

  async update(id: string, changes: { readonly name?: string; readonly regionCounties?: readonly string[] }): Promise<OrganizationRow> {
    // An UPDATE answers [rows, affected], RETURNING or not.
    const [rows]: [OrganizationRow[], number] = await this.manager.query(
      `UPDATE organization
          SET name = COALESCE($2, name), region_counties = COALESCE($3::text[], region_counties), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.name ?? null, changes.regionCounties === undefined ? null : [...changes.regionCounties]],
    );
    return rows[0];
  }

  async dependents(id: string): Promise<OrganizationDependents> {
    const [row]: OrganizationDependents[] = await this.manager.query(
      `SELECT (SELECT count(*)::int FROM organization WHERE parent_anchor_id = $1) AS members,
              (SELECT count(DISTINCT user_id)::int FROM membership WHERE organization_id = $1) AS people`,
      [id],
    );
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.manager.query(`DELETE FROM organization WHERE id = $1`, [id]);
  }
}
