import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseRole } from './database-role.enum';
import type { RowAccessScope } from './row-access-scope';

/**
 * Runs database work inside a transaction that has declared its row access scope and taken the
 * matching reader role, so the row policies decide what the work can see, whoever connected.
 * Both the settings and the role end with the transaction: a pooled connection carries nothing over.
 */
@Injectable()
export class RowScopeRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(scope: RowAccessScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await enterRowScope(manager, scope);
      return work(manager);
    });
  }
}

/**
 * For callers that already hold a transaction. One statement: `set_config('role', …, true)` is
 * SET LOCAL ROLE, and as a function its role can travel as a parameter; each search saves a round trip.
 */
export async function enterRowScope(manager: EntityManager, scope: RowAccessScope): Promise<void> {
  const organizations = scope.kind === 'organizations' ? scope : { organizationIds: [], regionCounties: [] };
  await manager.query(
    `SELECT set_config('crossroads.alliance_id', $1, true), set_config('crossroads.organization_ids', $2, true),
            set_config('crossroads.region_counties', $3, true), set_config('role', $4, true)`,
    [
      scope.allianceId,
      postgresArray(organizations.organizationIds),
      postgresArray(organizations.regionCounties),
      scope.kind === 'alliance' ? DatabaseRole.AllianceReader : DatabaseRole.OrganizationReader,
    ],
  );
}

/** A text[] literal: every element quoted, so commas, braces and quotes in a county name stay data. */
function postgresArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`).join(',')}}`;
}
