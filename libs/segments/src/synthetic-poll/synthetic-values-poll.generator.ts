import { StringDecoder } from 'node:string_decoder';
import { type ClientBase, escapeLiteral, type Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { SeededRandom } from '@app/voter-file/generator/seeded-random';
import {
  DEFAULT_REFERENCE_YEAR,
  type Urbanicity,
  VALUES_SEGMENT_KEYS,
  type ValuesSegmentKey,
  type ValuesTruthOptions,
  valuesTruthProbabilities,
} from './values-truth.model';

/**
 * Every active voter of an alliance with their true segment probabilities. Index i of every
 * array is the same voter; voters are in ascending voter.id order, so one database gives the same
 * indexes, and so the same seeded polls, every time it is loaded.
 */
export interface VoterTruth {
  /** voter.id, as 64-bit integers: a million of them take 8 MB rather than a million strings. */
  readonly voterIds: BigInt64Array;
  /** voter.source_voter_id, the voter_id a values poll CSV carries. */
  readonly sourceVoterIds: readonly string[];
  readonly segmentKeys: readonly ValuesSegmentKey[];
  /** voters × segments, row by row: P(segmentKeys[s] | voter i) is at i * segmentKeys.length + s. */
  readonly probabilities: Float64Array;
  readonly referenceYear: number;
  /** The urbanicity the model gave each county (voters without a county have none). */
  readonly countyUrbanicity: ReadonlyMap<string, Urbanicity>;
}

export interface PollRow {
  readonly sourceVoterId: string;
  readonly segment: ValuesSegmentKey;
}

export interface SyntheticPoll {
  /** One row per respondent, in the order they were drawn. */
  readonly rows: readonly PollRow[];
  /** The voter index (into VoterTruth) of each row: rows[i] is voter respondentIndexes[i]. */
  readonly respondentIndexes: Int32Array;
}

/**
 * A pg Pool (a connection is borrowed and given back) or a connected client. Through a pool both
 * statements run in one read-only repeatable-read transaction, so the precinct figures and the
 * voters are one snapshot. A client's transaction is left to its caller: hold one open around the
 * call if imports may run meanwhile.
 */
export type VoterTruthSource = Pool | ClientBase;

const SEGMENT_COUNT = VALUES_SEGMENT_KEYS.length;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INITIAL_CAPACITY = 1 << 16;
const COPY_NULL = '\\N';
const VOTER_COLUMN_COUNT = 10;

// Each precinct's composition, and its county's urbanicity, over the alliance's active voters.
// A voter with a county but no precinct falls in that county's (county, NULL) group, so counts
// toward the county's size; such groups give no composition (see countyContexts).
const PRECINCT_CONTEXT_QUERY = `
  WITH precinct_mix AS (
    SELECT county, precinct,
           count(*)::integer AS voters,
           (count(*) FILTER (WHERE party = 'democratic'))::integer AS democratic,
           (count(*) FILTER (WHERE race_ethnicity <> 'unknown'))::integer AS race_known,
           (count(*) FILTER (WHERE race_ethnicity NOT IN ('white', 'unknown')))::integer AS of_colour
    FROM voter
    WHERE alliance_id = $1 AND active AND county IS NOT NULL
    GROUP BY county, precinct
  ),
  county_size AS (
    SELECT county, sum(voters) AS voters FROM precinct_mix GROUP BY county
  ),
  county_rank AS (
    -- Integer arithmetic, so a county exactly at a third's edge is not decided by rounding.
    SELECT county,
           CASE WHEN 3 * (sum(voters) OVER ranking - voters) < sum(voters) OVER () THEN 'urban'
                WHEN 3 * (sum(voters) OVER ranking - voters) < 2 * sum(voters) OVER () THEN 'suburban'
                ELSE 'rural' END AS urbanicity
    FROM county_size
    WINDOW ranking AS (ORDER BY voters DESC, county ROWS UNBOUNDED PRECEDING)
  )
  SELECT p.county, p.precinct, c.urbanicity, p.voters, p.democratic, p.race_known AS "raceKnown", p.of_colour AS "ofColour"
  FROM precinct_mix p JOIN county_rank c USING (county)`;

interface PrecinctContextRow {
  readonly county: string;
  readonly precinct: string | null;
  readonly urbanicity: Urbanicity;
  readonly voters: number;
  readonly democratic: number;
  readonly raceKnown: number;
  readonly ofColour: number;
}

interface PrecinctComposition {
  readonly democraticShare: number;
  readonly shareOfColour: number | null;
}

interface CountyContext {
  readonly urbanicity: Urbanicity;
  readonly precincts: Map<string, PrecinctComposition>;
}

/**
 * Loads every active voter of the alliance with the context the truth model needs and computes
 * their probabilities, in two statements: the precinct and county figures (a few tens of thousands
 * of rows), then the voters in id order, streamed with COPY TO and matched to their precinct here.
 * Joining them in SQL instead left the planner walking the county/precinct index across the
 * heap, about three times slower at a million voters. Row security applies as for any query: the
 * connection must see the alliance's voters.
 */
export async function loadVoterTruth(source: VoterTruthSource, allianceId: string, options: ValuesTruthOptions = {}): Promise<VoterTruth> {
  if (!UUID.test(allianceId)) throw new RangeError(`not an alliance id: ${allianceId}`);
  const referenceYear = options.referenceYear ?? DEFAULT_REFERENCE_YEAR;
  if (!isPool(source)) return readVoterTruth(source, allianceId, referenceYear);
  const client = await source.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const truth = await readVoterTruth(client, allianceId, referenceYear);
    await client.query('COMMIT');
    client.release();
    return truth;
  } catch (error) {
    // A COPY abandoned halfway leaves the connection mid-protocol: it is closed, never reused.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

function isPool(source: VoterTruthSource): source is Pool {
  // A Pool counts its idle clients; a Client, even one a pool lent, does not.
  return 'idleCount' in source;
}

async function readVoterTruth(client: ClientBase, allianceId: string, referenceYear: number): Promise<VoterTruth> {
  const { rows } = await client.query<PrecinctContextRow>(PRECINCT_CONTEXT_QUERY, [allianceId]);
  const builder = new VoterTruthBuilder(referenceYear, countyContexts(rows));
  // COPY takes no bind parameters; the id is a checked uuid and quoted besides.
  const stream = client.query(
    copyTo(`COPY (
      SELECT id, source_voter_id, county, precinct, birth_year, party, gender_code, race_ethnicity,
             extract(year FROM registration_date)::integer, propensity
      FROM voter
      WHERE alliance_id = ${escapeLiteral(allianceId)} AND active
      ORDER BY id
    ) TO STDOUT`),
  );
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = pending + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      builder.add(text.slice(start, end));
      start = end + 1;
    }
    pending = text.slice(start);
  }
  pending += decoder.end();
  if (pending !== '') throw new Error('the voter COPY ended in the middle of a row');
  return builder.build();
}

function countyContexts(rows: readonly PrecinctContextRow[]): Map<string, CountyContext> {
  const counties = new Map<string, CountyContext>();
  for (const row of rows) {
    let county = counties.get(row.county);
    if (county === undefined) {
      county = { urbanicity: row.urbanicity, precincts: new Map() };
      counties.set(row.county, county);
    }
    if (row.precinct !== null)
      county.precincts.set(row.precinct, {
        democraticShare: row.democratic / row.voters,
        shareOfColour: row.raceKnown === 0 ? null : row.ofColour / row.raceKnown,
      });
  }
  return counties;
}

/** Turns COPY text rows into the truth arrays, growing them as voters arrive. */
class VoterTruthBuilder {
  private count = 0;
  private voterIds = new BigInt64Array(INITIAL_CAPACITY);
  private probabilities = new Float64Array(INITIAL_CAPACITY * SEGMENT_COUNT);
  private readonly sourceVoterIds: string[] = [];
  private readonly options: ValuesTruthOptions;

  constructor(
    private readonly referenceYear: number,
    private readonly counties: ReadonlyMap<string, CountyContext>,
  ) {
    this.options = { referenceYear };
  }

  add(line: string): void {
    const fields = line.split('\t');
    if (fields.length !== VOTER_COLUMN_COUNT) throw new Error(`a voter COPY row has ${fields.length} columns, not ${VOTER_COLUMN_COUNT}`);
    const [id, sourceVoterId, countyName, precinctName, birthYear, party, genderCode, raceEthnicity, registrationYear, propensity] = fields;
    if (this.count === this.voterIds.length) this.grow();
    const county = countyName === COPY_NULL ? undefined : this.counties.get(copyText(countyName));
    const precinct = precinctName === COPY_NULL ? undefined : county?.precincts.get(copyText(precinctName));
    this.voterIds[this.count] = BigInt(id);
    this.sourceVoterIds.push(copyText(sourceVoterId));
    valuesTruthProbabilities(
      {
        birthYear: nullableNumber(birthYear),
        party: copyText(party),
        raceEthnicity: copyText(raceEthnicity),
        genderCode: genderCode === COPY_NULL ? null : copyText(genderCode),
        propensity: copyText(propensity),
        registrationYear: nullableNumber(registrationYear),
        urbanicity: county?.urbanicity ?? null,
        precinctDemocraticShare: precinct?.democraticShare ?? null,
        precinctShareOfColour: precinct?.shareOfColour ?? null,
      },
      this.options,
      this.probabilities,
      this.count * SEGMENT_COUNT,
    );
    this.count += 1;
  }

  build(): VoterTruth {
    return {
      voterIds: this.voterIds.slice(0, this.count),
      sourceVoterIds: this.sourceVoterIds,
      segmentKeys: VALUES_SEGMENT_KEYS,
      probabilities: this.probabilities.slice(0, this.count * SEGMENT_COUNT),
      referenceYear: this.referenceYear,
      countyUrbanicity: new Map(Array.from(this.counties, ([name, county]) => [name, county.urbanicity])),
    };
  }

  private grow(): void {
    const voterIds = new BigInt64Array(this.voterIds.length * 2);
    voterIds.set(this.voterIds);
    this.voterIds = voterIds;
    const probabilities = new Float64Array(this.probabilities.length * 2);
    probabilities.set(this.probabilities);
    this.probabilities = probabilities;
  }
}

function nullableNumber(field: string): number | null {
  return field === COPY_NULL ? null : Number(field);
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Undoes COPY's text-format escaping (a backslash before a control character or a backslash). */
function copyText(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_match, escaped: string) => COPY_ESCAPES[escaped] ?? escaped);
}

/**
 * A poll of `respondents` voters drawn uniformly without replacement, each answering with a
 * segment drawn from their true probabilities. One seed, one poll.
 */
export function samplePoll(truth: VoterTruth, respondents: number, seed: number): SyntheticPoll {
  const voterCount = truth.voterIds.length;
  if (!Number.isInteger(respondents) || respondents < 0 || respondents > voterCount)
    throw new RangeError(`cannot poll ${respondents} of ${voterCount} voters without replacement`);
  const random = new SeededRandom(seed);
  const pool = new Int32Array(voterCount);
  for (let index = 0; index < voterCount; index += 1) pool[index] = index;
  const respondentIndexes = partialShuffle(pool, respondents, random);
  const rows = Array.from(respondentIndexes, (index) => ({ sourceVoterId: truth.sourceVoterIds[index], segment: drawSegment(truth, index, random) }));
  return { rows, respondentIndexes };
}

/** The first `size` entries of a Fisher–Yates shuffle of `pool` (which it reorders), as a copy. */
function partialShuffle(pool: Int32Array, size: number, random: SeededRandom): Int32Array {
  for (let position = 0; position < size; position += 1) {
    const chosen = position + Math.floor(random.next() * (pool.length - position));
    const value = pool[chosen];
    pool[chosen] = pool[position];
    pool[position] = value;
  }
  return pool.slice(0, size);
}

function drawSegment(truth: VoterTruth, index: number, random: SeededRandom): ValuesSegmentKey {
  const segmentCount = truth.segmentKeys.length;
  const offset = index * segmentCount;
  let remaining = random.next();
  let lastPossible = segmentCount - 1;
  for (let segment = 0; segment < segmentCount; segment += 1) {
    const probability = truth.probabilities[offset + segment];
    if (probability > 0) lastPossible = segment;
    remaining -= probability;
    if (remaining < 0) return truth.segmentKeys[segment];
  }
  // Probabilities summing to a hair under 1 can leave a draw unassigned; it goes to a segment the voter can be in.
  return truth.segmentKeys[lastPossible];
}

/** The poll as the data lead would upload it: a header, then one line per respondent. */
export function pollCsv(rows: ReadonlyArray<{ readonly sourceVoterId: string; readonly segment: string }>): string {
  const lines = ['voter_id,segment'];
  for (const row of rows) lines.push(`${csvField(row.sourceVoterId)},${csvField(row.segment)}`);
  return `${lines.join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The accuracy of always answering each voter's most probable segment: the best any classifier
 * can expect, since a voter's answer is drawn from their probabilities.
 */
export function bayesOptimalAccuracy(truth: VoterTruth, indexes: Int32Array): number {
  return meanOver(truth, indexes, (offset) => {
    let largest = 0;
    for (let segment = 0; segment < truth.segmentKeys.length; segment += 1) largest = Math.max(largest, truth.probabilities[offset + segment]);
    return largest;
  });
}

/** The accuracy the predictions can expect: the mean probability of the predicted segment. */
export function expectedAccuracy(truth: VoterTruth, indexes: Int32Array, predictedSegment: (index: number) => string): number {
  return meanOver(truth, indexes, (offset, index) => {
    const predicted = predictedSegment(index);
    const segment = truth.segmentKeys.indexOf(predicted as ValuesSegmentKey);
    // A misspelt key would otherwise score as a wrong answer and hide the typo in a low accuracy.
    if (segment === -1) throw new RangeError(`predicted segment ${predicted} is not one of ${truth.segmentKeys.join(', ')}`);
    return truth.probabilities[offset + segment];
  });
}

function meanOver(truth: VoterTruth, indexes: Int32Array, value: (offset: number, index: number) => number): number {
  if (indexes.length === 0) throw new RangeError('an accuracy needs at least one voter');
  const voterCount = truth.voterIds.length;
  let total = 0;
  for (const index of indexes) {
    if (index < 0 || index >= voterCount) throw new RangeError(`voter index ${index} is outside 0..${voterCount - 1}`);
    total += value(index * truth.segmentKeys.length, index);
  }
  return total / indexes.length;
}

/**
 * Voters left out of the poll to score a classifier on, drawn uniformly (all of them when `size`
 * reaches what is left), in ascending index order.
 */
export function holdoutIndexes(truth: VoterTruth, exclude: Int32Array, size: number, seed: number): Int32Array {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`a holdout of ${size} voters`);
  const voterCount = truth.voterIds.length;
  const excluded = new Uint8Array(voterCount);
  for (const index of exclude) {
    if (index < 0 || index >= voterCount) throw new RangeError(`voter index ${index} is outside 0..${voterCount - 1}`);
    excluded[index] = 1;
  }
  const available: number[] = [];
  for (let index = 0; index < voterCount; index += 1) if (excluded[index] === 0) available.push(index);
  const pool = Int32Array.from(available);
  if (size >= pool.length) return pool;
  return partialShuffle(pool, size, new SeededRandom(seed)).sort();
}
