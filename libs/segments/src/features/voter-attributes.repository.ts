import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { isNumericCondition, type RuleCondition, type RuleModelDefinition } from '../rules/segment-rule';
import { type Gender, PRECINCT_SHARE_KEYS, type PrecinctShares, type Urbanicity, type VoterAttributes } from './voter-attributes';

/** Which voters a read covers: every active voter, some by id, or those an import wrote. */
export type VoterSubset =
  { readonly kind: 'all' } | { readonly kind: 'ids'; readonly ids: readonly string[] } | { readonly kind: 'import'; readonly importId: string };

const HISTORY_YEARS = 8;

/**
 * How many of a precinct's active voters have each trait, as a filter on the voter table. Ages
 * count among voters with a birth year; everything else among all. Shares are these counts over
 * their base, divided as float8 in SQL and as doubles in Node alike, so the two paths below agree
 * to the last bit.
 */
const SHARE_COUNTS: Readonly<Record<keyof PrecinctShares, { readonly filter: string; readonly base: 'voters' | 'aged' }>> = {
  democratic: { filter: `party = 'democratic'`, base: 'voters' },
  republican: { filter: `party = 'republican'`, base: 'voters' },
  unaffiliated: { filter: `party = 'unaffiliated'`, base: 'voters' },
  age18To34: { filter: `birth_year > $3::int - 35`, base: 'aged' },
  age65Plus: { filter: `birth_year <= $3::int - 65`, base: 'aged' },
  white: { filter: `race_ethnicity = 'white'`, base: 'voters' },
  black: { filter: `race_ethnicity = 'black'`, base: 'voters' },
  hispanic: { filter: `race_ethnicity = 'hispanic'`, base: 'voters' },
  asian: { filter: `race_ethnicity = 'asian'`, base: 'voters' },
  newVoters: { filter: `propensity = 'new'`, base: 'voters' },
  frequentVoters: { filter: `propensity = 'frequent'`, base: 'voters' },
};
const SHARE_COLUMNS = Object.fromEntries(
  PRECINCT_SHARE_KEYS.map((key) => {
    const { filter, base } = SHARE_COUNTS[key];
    const denominator = base === 'voters' ? 'count(*)' : 'count(birth_year)';
    return [key, `COALESCE(count(*) FILTER (WHERE ${filter})::float8 / NULLIF(${denominator}, 0), 0)`];
  }),
) as Readonly<Record<keyof PrecinctShares, string>>;

/** The voter's own columns, which the streamed read takes; place figures come from `PlaceMakeUp`. */
const OWN_COLUMNS = [
  `v.id::text`,
  `($3::int - v.birth_year)::text`,
  `v.party`,
  `v.race_ethnicity`,
  `CASE upper(btrim(v.gender_code)) WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' ELSE 'unknown' END`,
  `v.propensity`,
  `v.county`,
  `v.precinct`,
  `floor(($2::date - v.registration_date) / 365.25)::int::text`,
  `COALESCE(h.generals, 0)::text`,
  `COALESCE(h.primaries, 0)::text`,
];

interface PlaceFigures {
  readonly voters: number;
  readonly urbanicity: Urbanicity;
  readonly shares: PrecinctShares;
}

/** The voter's own columns, then the place figures joined in SQL: what one-statement reads (respondents, rule counts) take. */
const ATTRIBUTE_COLUMNS = [
  ...OWN_COLUMNS,
  `CASE WHEN cp.before_share < 1.0 / 3 THEN 'urban' WHEN cp.before_share < 2.0 / 3 THEN 'suburban' ELSE 'rural' END`,
  `COALESCE(pm.voters, 0)::text`,
  ...PRECINCT_SHARE_KEYS.map((key) => `COALESCE(pm.${snake(key)}, 0)::text`),
];

/**
 * Reads voters' attributes for classification in one statement: the voter row, their county's
 * place in the alliance (for urbanicity), their precinct's make-up and their recent vote history.
 * Aggregates read the voter table directly (one index-only pass each) rather than a shared CTE,
 * which PostgreSQL would materialise in full.
 */
@Injectable()
export class VoterAttributesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Attributes of the given voters (active ones only), keyed by voter id, under whatever row scope the manager carries. */
  async findByIds(manager: EntityManager, allianceId: string, voterIds: readonly string[], asOf: Date): Promise<Map<string, VoterAttributes>> {
    if (voterIds.length === 0) return new Map();
    const { sql, parameters } = attributesQuery(allianceId, { kind: 'ids', ids: voterIds }, asOf);
    const rows: Array<Record<string, string | null>> = await manager.query(
      `SELECT ${ATTRIBUTE_COLUMNS.map((_, index) => `c${index}`).join(', ')} FROM (${sql}) a`,
      parameters,
    );
    const found = new Map<string, VoterAttributes>();
    for (const row of rows) {
      const attributes = attributesFromFields(ATTRIBUTE_COLUMNS.map((_, index) => row[`c${index}`] ?? null));
      found.set(attributes.voterId, attributes);
    }
    return found;
  }

  /**
   * Streams the attributes of a subset of an alliance's active voters over COPY (in no
   * particular order), with back-pressure: a million voters never sit in memory at once. Runs as the owner
   * (workers and the cli), on a connection of its own that `close` (or the end of the stream) releases.
   */
  async stream(allianceId: string, subset: VoterSubset, asOf: Date): Promise<AsyncIterable<VoterAttributes[]>> {
    // Each precinct's make-up and each county's urbanicity, read once as counts: a precinct has
    // dozens of voters, and joining its figures to every one of them cost more than the voters.
    const places = await this.placeFigures(allianceId, asOf);
    const { sql, parameters } = ownColumnsQuery(allianceId, subset, asOf);
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    // COPY takes no bind parameters: the values go in as literals, quoted by pg.
    const literal = (value: unknown): string => client.escapeLiteral(Array.isArray(value) ? `{${value.join(',')}}` : String(value));
    const inlined = sql.replace(/\$(\d+)/g, (_, position: string) => literal(parameters[Number(position) - 1]));
    const source = client.query(copyTo(`COPY (${inlined}) TO STDOUT`));
    return parseCopyLines(source, places, () => runner.release());
  }

  /** Every (county, precinct) of the alliance's active voters with its size, make-up and county urbanicity. */
  private async placeFigures(allianceId: string, asOf: Date): Promise<Map<string, PlaceFigures>> {
    const rows: Array<Record<string, string>> = await this.dataSource.transaction(async (manager) => {
      // Room to group a statewide file's precincts in memory rather than in batches spilled to disk.
      await manager.query(`SET LOCAL work_mem = '64MB'`);
      return manager.query(
        `SELECT COALESCE(county, '') AS county, COALESCE(precinct, '') AS precinct, count(*) AS voters, count(birth_year) AS aged,
           ${PRECINCT_SHARE_KEYS.map((key) => `count(*) FILTER (WHERE ${SHARE_COUNTS[key].filter.replace('$3::int', '$2::int')}) AS "${key}"`).join(', ')}
         FROM voter WHERE alliance_id = $1 AND active GROUP BY 1, 2`,
        [allianceId, asOf.getUTCFullYear()],
      );
    });
    const countyVoters = new Map<string, number>();
    let total = 0;
    for (const row of rows) {
      countyVoters.set(row.county, (countyVoters.get(row.county) ?? 0) + Number(row.voters));
      total += Number(row.voters);
    }
    // Largest first, ties by name in byte order, as `attributesQuery` ranks them.
    const urbanicity = new Map<string, Urbanicity>();
    let before = 0;
    for (const [county, voters] of [...countyVoters].sort(
      ([leftCounty, left], [rightCounty, right]) => right - left || (leftCounty < rightCounty ? -1 : leftCounty > rightCounty ? 1 : 0),
    )) {
      const share = before / total;
      urbanicity.set(county, share < 1 / 3 ? 'urban' : share < 2 / 3 ? 'suburban' : 'rural');
      before += voters;
    }
    const places = new Map<string, PlaceFigures>();
    for (const row of rows) {
      const voters = Number(row.voters);
      const aged = Number(row.aged);
      const shares = {} as Record<keyof PrecinctShares, number>;
      for (const key of PRECINCT_SHARE_KEYS) {
        const base = SHARE_COUNTS[key].base === 'voters' ? voters : aged;
        shares[key] = base === 0 ? 0 : Number(row[key]) / base;
      }
      places.set(placeKey(row.county, row.precinct), { voters, urbanicity: urbanicity.get(row.county) ?? 'rural', shares: Object.freeze(shares) });
    }
    return places;
  }

  /**
   * How many active voters each rule wins (first match; -1 for the fallback), under the
   * manager's row scope. The same semantics as `firstMatchingRule`, in SQL (a test holds them equal).
   */
  async countRuleWinners(manager: EntityManager, allianceId: string, definition: RuleModelDefinition, asOf: Date): Promise<Map<number, number>> {
    const { sql, parameters } = attributesQuery(allianceId, { kind: 'all' }, asOf);
    const conditionSql = (condition: RuleCondition): string => {
      if (isNumericCondition(condition)) {
        const column = RULE_COLUMN[condition.field];
        const bounds: string[] = [];
        if (condition.min !== undefined) bounds.push(`${column} >= $${parameters.push(condition.min)}`);
        if (condition.max !== undefined) bounds.push(`${column} <= $${parameters.push(condition.max)}`);
        return bounds.join(' AND ');
      }
      const column =
        condition.field === 'county' ? `upper(regexp_replace(btrim(${RULE_COLUMN.county}, E' \\t\\n\\r'), '\\s+', ' ', 'g'))` : RULE_COLUMN[condition.field];
      return `${column} = ANY($${parameters.push(condition.values)}::text[])`;
    };
    const branches = definition.rules.map(
      (rule, index) => `WHEN ${rule.conditions.map((condition) => `(${conditionSql(condition)})`).join(' AND ') || 'true'} THEN ${index}`,
    );
    const winner = branches.length === 0 ? '-1' : `CASE ${branches.join(' ')} ELSE -1 END`;
    const rows: Array<{ rule: number; voters: string }> = await manager.query(
      `SELECT ${winner} AS rule, count(*) AS voters FROM (${sql}) a GROUP BY 1`,
      parameters,
    );
    return new Map(rows.map((row) => [Number(row.rule), Number(row.voters)]));
  }
}

/**
 * The attributes statement. Columns are c0…cN (text); a rule condition refers to them through
 * RULE_COLUMN below. $1 alliance, $2 the as-of date, $3 its year, $4 the subset's ids or import.
 */
function attributesQuery(allianceId: string, subset: VoterSubset, asOf: Date): { sql: string; parameters: unknown[] } {
  const asOfDate = asOf.toISOString().slice(0, 10);
  const parameters: unknown[] = [allianceId, asOfDate, asOf.getUTCFullYear()];
  let voterFilter = '';
  let precinctFilter = '';
  if (subset.kind === 'ids') {
    parameters.push(subset.ids);
    voterFilter = `AND v.id = ANY($4::bigint[])`;
    precinctFilter = `AND (COALESCE(county, ''), COALESCE(precinct, '')) IN (
      SELECT COALESCE(county, ''), COALESCE(precinct, '') FROM voter WHERE alliance_id = $1 AND id = ANY($4::bigint[]))`;
  } else if (subset.kind === 'import') {
    parameters.push(subset.importId);
    voterFilter = `AND v.last_import_id = $4::uuid`;
  }
  const sql = `
    SELECT ${ATTRIBUTE_COLUMNS.map((expression, index) => `${expression} AS c${index}`).join(', ')}
    FROM voter v
    LEFT JOIN (
      SELECT county_key, (sum(voters) OVER (ORDER BY voters DESC, county_key ROWS UNBOUNDED PRECEDING) - voters) / sum(voters) OVER () AS before_share
      FROM (SELECT COALESCE(county, '') AS county_key, count(*)::float8 AS voters FROM voter WHERE alliance_id = $1 AND active GROUP BY 1) sizes
    ) cp ON cp.county_key = COALESCE(v.county, '')
    LEFT JOIN (
      SELECT COALESCE(county, '') AS county_key, COALESCE(precinct, '') AS precinct_key, count(*) AS voters,
        ${PRECINCT_SHARE_KEYS.map((key) => `${SHARE_COLUMNS[key]} AS ${snake(key)}`).join(', ')}
      FROM voter WHERE alliance_id = $1 AND active ${precinctFilter}
      GROUP BY 1, 2
    ) pm ON pm.county_key = COALESCE(v.county, '') AND pm.precinct_key = COALESCE(v.precinct, '')
    ${historyJoin()}
    WHERE v.alliance_id = $1 AND v.active ${voterFilter}`;
  return { sql, parameters };
}

/** The voters of a subset with their own columns only (c0…c10 of OWN_COLUMNS). */
function ownColumnsQuery(allianceId: string, subset: VoterSubset, asOf: Date): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [allianceId, asOf.toISOString().slice(0, 10), asOf.getUTCFullYear()];
  let voterFilter = '';
  if (subset.kind === 'ids') voterFilter = `AND v.id = ANY($${parameters.push(subset.ids)}::bigint[])`;
  else if (subset.kind === 'import') voterFilter = `AND v.last_import_id = $${parameters.push(subset.importId)}::uuid`;
  const sql = `
    SELECT ${OWN_COLUMNS.join(', ')}
    FROM voter v
    ${historyJoin()}
    WHERE v.alliance_id = $1 AND v.active ${voterFilter}`;
  return { sql, parameters };
}

function historyJoin(): string {
  return `LEFT JOIN (
      SELECT voter_id,
        -- the key (voter, date, type) makes each row one election
        count(*) FILTER (WHERE election_type = 'general') AS generals,
        count(*) FILTER (WHERE election_type = 'primary') AS primaries
      FROM vote_history WHERE alliance_id = $1 AND election_date > $2::date - interval '${HISTORY_YEARS} years'
      GROUP BY voter_id
    ) h ON h.voter_id = v.id`;
}

function placeKey(county: string, precinct: string): string {
  return `${county}\u0001${precinct}`;
}

/** The attributes statement's column holding each attribute a rule condition can test. */
export const RULE_COLUMN = {
  age: `c1::int`,
  party: `c2`,
  raceEthnicity: `c3`,
  gender: `c4`,
  propensity: `c5`,
  county: `c6`,
  registeredYears: `c8::int`,
  generalVotes: `c9::int`,
  primaryVotes: `c10::int`,
  urbanicity: `c11`,
} as const;

function attributesFromFields(fields: ReadonlyArray<string | null>): VoterAttributes {
  const shares = {} as Record<keyof PrecinctShares, number>;
  PRECINCT_SHARE_KEYS.forEach((key, index) => (shares[key] = Number(fields[13 + index])));
  const place: PlaceFigures = { urbanicity: (fields[11] ?? 'rural') as Urbanicity, voters: Number(fields[12]), shares };
  return attributesOfOwnFields(fields, new Map([[placeKey(fields[6] ?? '', fields[7] ?? ''), place]]));
}

/** Voters a chunk at a time: one await per chunk of COPY output rather than one per voter. */
async function* parseCopyLines(source: Readable, places: ReadonlyMap<string, PlaceFigures>, release: () => Promise<void>): AsyncGenerator<VoterAttributes[]> {
  // A chunk may end inside a multi-byte character; the decoder holds it for the next.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of source) {
      const text = pending + decoder.write(chunk as Buffer);
      let start = 0;
      const voters: VoterAttributes[] = [];
      for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
        voters.push(attributesOfOwnFields(copyFields(text.slice(start, end)), places));
        start = end + 1;
      }
      pending = text.slice(start);
      if (voters.length > 0) yield voters;
    }
  } finally {
    source.destroy();
    await release();
  }
}

const NO_PLACE: PlaceFigures = {
  voters: 0,
  urbanicity: 'rural',
  shares: Object.freeze(Object.fromEntries(PRECINCT_SHARE_KEYS.map((key) => [key, 0])) as unknown as PrecinctShares),
};

function attributesOfOwnFields(fields: ReadonlyArray<string | null>, places: ReadonlyMap<string, PlaceFigures>): VoterAttributes {
  const place = places.get(placeKey(fields[6] ?? '', fields[7] ?? '')) ?? NO_PLACE;
  return {
    voterId: fields[0] ?? '',
    age: fields[1] === null ? null : Number(fields[1]),
    party: fields[2] ?? 'unknown',
    raceEthnicity: fields[3] ?? 'unknown',
    gender: (fields[4] ?? 'unknown') as Gender,
    propensity: fields[5] ?? 'occasional',
    county: fields[6],
    precinct: fields[7],
    urbanicity: place.urbanicity,
    registeredYears: fields[8] === null ? null : Number(fields[8]),
    generalVotes: Number(fields[9]),
    primaryVotes: Number(fields[10]),
    precinctVoters: place.voters,
    precinctShares: place.shares,
  };
}

/** One line of COPY's text format: tab-separated, `\N` for null, backslash escapes. */
function copyFields(line: string): Array<string | null> {
  return line.split('\t').map((field) => (field === '\\N' ? null : field.includes('\\') ? unescapeCopy(field) : field));
}

function unescapeCopy(field: string): string {
  return field.replace(/\\(.)/g, (_, character: string) => ({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' })[character] ?? character);
}

function snake(key: string): string {
  return key.replace(/[A-Z0-9]+/g, (part) => `_${part.toLowerCase()}`);
}
