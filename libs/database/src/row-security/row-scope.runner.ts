import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { DatabaseRole } from './database-role.enum';
import type { RowAccessScope } from './row-access-scope';

/**
 * Runs database work inside a transaction that has declared its row access scope and taken the
 * matching reader role, so the row policies decide what the work can see, whoever connected.
 * Both the settings and the role end with the transaction: a pooled connection carries nothing over.
 */
export interface RowScopeOptions {
  /**
   * False for work whose loss in a crash is harmless (a lease: the voter is simply free again): its
   * commit does not wait for the disk, so a slow fsync does not hold the volunteer up. The next
   * durable commit of any session writes it out anyway, WAL being one sequence.
   */
  readonly waitForDisk?: boolean;
}

@Injectable()
export class RowScopeRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(scope: RowAccessScope, work: (manager: EntityManager) => Promise<T>, options: RowScopeOptions = {}): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // BEGIN and the scope in one round trip: a search pays for its wall with no extra wait. Two
      // statements need the simple protocol, so the values go as literals, escaped by pg itself.
      await runner.query(`BEGIN; ${scopeStatement(scope)}${options.waitForDisk === false ? `, set_config('synchronous_commit', 'off', true)` : ''}`);
      let result: T;
      try {
        result = await work(runner.manager);
      } catch (error) {
        await runner.query('ROLLBACK');
        throw error;
      }
      await runner.query('COMMIT');
      return result;
    } finally {
      await runner.release();
    }
  }
}

function scopeStatement(scope: RowAccessScope): string {
  const [allianceId, organizationIds, regionCounties, callingSessionId, role] = scopeSettings(scope).map((value) => escapeLiteral(value));
  return `SELECT set_config('crossroads.alliance_id', ${allianceId}, true), set_config('crossroads.organization_ids', ${organizationIds}, true),
            set_config('crossroads.region_counties', ${regionCounties}, true), set_config('crossroads.calling_session_id', ${callingSessionId}, true),
            set_config('role', ${role}, true)`;
}

/** The alliance, the organizations and counties (as text[] literals), the calling session ('' for none) and the reader role a scope sets. */
function scopeSettings(scope: RowAccessScope): [string, string, string, string, string] {
  const organizations = scope.kind === 'organizations' ? scope : { organizationIds: [], regionCounties: [], callingSessionId: undefined };
  return [
    scope.allianceId,
    postgresArray(organizations.organizationIds),
    postgresArray(organizations.regionCounties),
    organizations.callingSessionId ?? '',
    scope.kind === 'alliance' ? DatabaseRole.AllianceReader : DatabaseRole.OrganizationReader,
  ];
}

/** A text[] literal: every element quoted, so commas, braces and quotes in a county name stay data. */
function postgresArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`).join(',')}}`;
}
