import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DataAccess, type RowAccessScope, RowScopeRunner } from '@app/database';
import type { VoterPhone } from '../formats/normalized-voter';
import type { StandardParty } from '../normalization/party.normalizer';
import type { Propensity } from '../normalization/propensity.rule';
import type { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { birthYearBounds, type VoterFilter } from './voter-filter';

/** One voter as search and export read it. */
export interface VoterSearchRow {
  /** bigint, as text: JavaScript numbers lose precision past 2^53. */
  readonly id: string;
  readonly sourceVoterId: string;
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  readonly nameSuffix: string | null;
  readonly residentialAddress: string | null;
  readonly city: string | null;
  readonly county: string | null;
  readonly precinct: string | null;
  readonly zip5: string | null;
  readonly birthYear: number | null;
  readonly partyCode: string | null;
  readonly party: StandardParty;
  readonly raceEthnicity: StandardRaceEthnicity;
  readonly propensity: Propensity;
  readonly phones: readonly VoterPhone[];
  /** ISO date (YYYY-MM-DD). */
  readonly registrationDate: string | null;
  readonly active: boolean;
}

export interface VoterKeysetPage {
  /** The id of the last voter of the previous page; the page starts after it. */
  readonly after?: string;
  readonly limit: number;
}

export const EXPORT_BATCH_SIZE = 5_000;

// The date is formatted in SQL: pg would turn a `date` into a JavaScript Date at local midnight.
const SELECTED_COLUMNS = `v.id::text AS "id", v.source_voter_id AS "sourceVoterId",
  v.first_name AS "firstName", v.middle_name AS "middleName", v.last_name AS "lastName", v.name_suffix AS "nameSuffix",
  v.residential_address AS "residentialAddress", v.city, v.county, v.precinct, v.zip5, v.birth_year AS "birthYear",
  v.party_code AS "partyCode", v.party, v.race_ethnicity AS "raceEthnicity", v.propensity, v.phones,
  to_char(v.registration_date, 'YYYY-MM-DD') AS "registrationDate", v.active`;

/**
 * The voter search's SQL. Every query starts with `alliance_id = $1`, so PostgreSQL reads one
 * alliance's partition only, and pages by id (`id > $after ORDER BY id`), so page 1,000 costs
 * what page 1 does. Filter values only ever travel as parameters. Each query runs in a
 * transaction that has taken the access's row scope, so the row policies check it too.
 */
@Injectable()
export class VoterSearchRepository {
  constructor(private readonly rowScopes: RowScopeRunner) {}

  /** One page and the total, read in one snapshot. */
  searchWithTotal(filter: VoterFilter, page: VoterKeysetPage, access: DataAccess): Promise<{ rows: VoterSearchRow[]; total: number }> {
    return this.rowScopes.run(access.rowScope, async (manager) => ({
      rows: await selectPage(manager, filter, page, access.visibility),
      total: await countMatching(manager, filter, access.visibility),
    }));
  }

  count(filter: VoterFilter, access: DataAccess): Promise<number> {
    return this.rowScopes.run(access.rowScope, (manager) => countMatching(manager, filter, access.visibility));
  }

  search(filter: VoterFilter, page: VoterKeysetPage, access: DataAccess): Promise<VoterSearchRow[]> {
    return this.rowScopes.run(access.rowScope, (manager) => selectPage(manager, filter, page, access.visibility));
  }

  /**
   * Every matching voter, in id order, read in keyset pages of EXPORT_BATCH_SIZE: memory stays
   * flat and no transaction or connection is held while a slow client reads. Pages are separate
   * snapshots, so an import committing mid-export can show in later pages; no voter appears twice.
   * The first page is read before this resolves, so a failing database fails the caller's
   * request before anything has been sent.
   */
  async streamForExport(filter: VoterFilter, access: DataAccess): Promise<Readable> {
    const first = await this.search(filter, { limit: EXPORT_BATCH_SIZE }, access);
    const next = (after: string) => this.search(filter, { after, limit: EXPORT_BATCH_SIZE }, access);
    async function* rows(): AsyncGenerator<VoterSearchRow> {
      let batch = first;
      for (;;) {
        yield* batch;
        if (batch.length < EXPORT_BATCH_SIZE) return;
        batch = await next(batch[batch.length - 1].id);
      }
    }
    return Readable.from(rows(), { objectMode: true, highWaterMark: EXPORT_BATCH_SIZE });
  }
}

function selectPage(manager: EntityManager, filter: VoterFilter, page: VoterKeysetPage, visibility: RowAccessScope): Promise<VoterSearchRow[]> {
  const query = new SqlParameters();
  const conditions = voterFilterConditions(filter, visibility, query);
  if (page.after !== undefined) conditions.push(`v.id > ${query.add(page.after)}::bigint`);
  return manager.query(`SELECT ${SELECTED_COLUMNS} FROM voter v WHERE ${conditions.join(' AND ')} ORDER BY v.id LIMIT ${query.add(page.limit)}`, query.values);
}

async function countMatching(manager: EntityManager, filter: VoterFilter, visibility: RowAccessScope): Promise<number> {
  const query = new SqlParameters();
  const [{ total }]: Array<{ total: string }> = await manager.query(
    `SELECT count(*) AS total FROM voter v WHERE ${voterFilterConditions(filter, visibility, query).join(' AND ')}`,
    query.values,
  );
  return Number(total);
}

/** Collects a query's parameters and hands back their $n placeholders. */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE conditions for a filter over `voter v`; the first is always the alliance, which
 * selects the partition. An organization's visibility is the same rule its row policy states.
 */
export function voterFilterConditions(filter: VoterFilter, visibility: RowAccessScope, query: SqlParameters): string[] {
  if (visibility.allianceId !== filter.allianceId) throw new Error('a voter query must stay inside the alliance its access was granted for');
  const conditions = [`v.alliance_id = ${query.add(filter.allianceId)}::uuid`, `v.active = ${query.add(filter.active)}`];
  if (visibility.kind === 'organizations') {
    conditions.push(
      // ARRAY(subquery) is read once and probed by id; IN (subquery) inside an OR would be a hashed
      // subplan checked against every row the rest of the filter leaves, index or not.
      `(v.county = ANY(${query.add(visibility.regionCounties)}::text[])
        OR v.id = ANY(ARRAY(SELECT tav.voter_id FROM turf_assignment_voter tav WHERE tav.organization_id = ANY(${query.add(visibility.organizationIds)}::uuid[]))))`,
    );
  }
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (values !== undefined) conditions.push(`v.${column} = ANY(${query.add(values)}::text[])`);
  };
  anyOf('county', filter.counties);
  anyOf('precinct', filter.precincts);
  anyOf('zip5', filter.zips);
  anyOf('city', filter.cities);
  anyOf('party', filter.parties);
  anyOf('propensity', filter.propensities);
  anyOf('race_ethnicity', filter.raceEthnicities);
  const { latest, earliest } = birthYearBounds(filter, new Date().getUTCFullYear());
  if (latest !== undefined) conditions.push(`v.birth_year <= ${query.add(latest)}`);
  if (earliest !== undefined) conditions.push(`v.birth_year >= ${query.add(earliest)}`);
  if (filter.hasPhone !== undefined) conditions.push(`v.has_phone = ${query.add(filter.hasPhone)}`);
  if (filter.segments !== undefined) {
    // The active model is looked up once (an InitPlan); its partition's key (model, voter) answers each probe.
    conditions.push(`EXISTS (SELECT 1 FROM segment_assignment sa
      WHERE sa.model_id = (SELECT m.id FROM segment_model m WHERE m.alliance_id = ${query.add(filter.allianceId)}::uuid AND m.active)
        AND sa.voter_id = v.id AND sa.segment_key = ANY(${query.add(filter.segments)}::text[]))`);
  }
  return conditions;
}
