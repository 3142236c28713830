import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { lastFourGeneralElections, twoYearsBefore } from '../normalization/propensity.rule';
import { STAGING_HISTORY_COLUMNS, STAGING_VOTER_COLUMNS } from './staging-row.serializer';

/** pg_advisory_lock class ids (the first of the two-int form); the second int identifies the import or alliance. */
const RUNNING_IMPORT_LOCK = 7_301_002;
const ALLIANCE_MERGE_LOCK = 7_301_003;
const UNIQUE_VIOLATION = '23505';
const SEARCHED_COLUMNS = [
  'id',
  'source_voter_id',
  'county',
  'precinct',
  'zip5',
  'city',
  'party',
  'birth_year',
  'propensity',
  'race_ethnicity',
  'has_phone',
  'active',
];

// The values a file sets; a voter whose values all equal the file's is left untouched (its
// source line may move and its propensity is re-derived in SQL, so neither counts as a change).
const VOTER_FILE_COLUMNS = STAGING_VOTER_COLUMNS.filter((column) => !['source_line', 'source_voter_id', 'propensity'].includes(column));

/** The partition holding one alliance's voters; created by the alliance's first import. */
export function voterPartitionName(allianceId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(allianceId)) throw new Error(`not a uuid: ${allianceId}`);
  return `voter_p_${allianceId.replace(/-/g, '').toLowerCase()}`;
}

export interface VoterMergeCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deactivated: number;
}

export interface HistoryMergeCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly unmatched: number;
  readonly propensityChanged: number;
}

export interface MergeScope {
  readonly allianceId: string;
  readonly importId: string;
  /** The date propensity is judged at. */
  readonly asOf: Date;
}

@Injectable()
export class VoterStagingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A session on its own connection: its temporary staging tables and locks vanish with it if the process dies. */
  async open(importId: string): Promise<VoterStagingSession> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const session = new VoterStagingSession(client, importId, () => void runner.release());
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [RUNNING_IMPORT_LOCK, importId]);
      return session;
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** Fresh statistics after a large import, so the first searches are planned for the table's real size. */
  async analyzeVoters(allianceId: string): Promise<void> {
    // Only the columns searches filter on: statistics on names, addresses and phones would cost
    // half the time and inform no plan.
    await this.dataSource.query(`ANALYZE ${voterPartitionName(allianceId)} (${SEARCHED_COLUMNS.join(', ')})`);
  }

  /**
   * Imports that say they are running but whose process is gone (its session lock is free):
   * killed or crashed. Their merge transaction rolled back with the connection; they are marked failed.
   */
  async failInterruptedImports(): Promise<Array<{ id: string; filePath: string }>> {
    const rows: Array<{ id: string; file_path: string }> = await this.dataSource.query(
      `UPDATE voter_import SET status = 'failed', phase = 'done', finished_at = now(), updated_at = now(),
         error_message = 'The import stopped before it finished (its process ended); the voter file was left exactly as before. Run the import again.'
       WHERE id IN (
         SELECT id FROM voter_import
         WHERE status = 'running' AND pg_try_advisory_xact_lock($1, hashtext(id::text))
       )
       RETURNING id, file_path`,
      [RUNNING_IMPORT_LOCK],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as typeof rows) : rows).map((row) => ({ id: row.id, filePath: row.file_path }));
  }
}

/** The staging tables, the COPY streams into them and the one-transaction merge, on one connection. */
export class VoterStagingSession {
  constructor(
    private readonly client: PoolClient,
    private readonly importId: string,
    private readonly releaseClient: () => void,
  ) {}

  private votersTable = 'staging_voter';
  private broken: Error | null = null;
  private freshPartition: string | null = null;
  private votersCopy: CopyStreamQuery | null = null;
  /** Lines set aside because a later line repeats their voter id. */
  private setAside = 0;

  /**
   * Opens the import's one transaction and takes the alliance's merge lock, so two imports into
   * one alliance queue up. Everything the import writes to voter tables happens inside it.
   */
  async begin(allianceId: string): Promise<void> {
    await this.client.query('BEGIN');
    await this.client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ALLIANCE_MERGE_LOCK, allianceId]);
  }

  async commit(): Promise<void> {
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } catch (error) {
      this.broken = error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * Creates where this import's voters are copied to. An alliance without voters yet gets its
   * partition as a plain table: loaded without indexes, indexed in bulk and attached at the end
   * (a bulk index build is several times faster than a million inserts through live indexes).
   * An alliance with voters gets a temporary staging table that the merge reads from.
   */
  // Collations as in `voter` (COLLATE "C" on keys and codes), so comparisons never mix two.
  async createStagingTables(allianceId: string, importId: string, withVoters: boolean): Promise<void> {
    const partition = voterPartitionName(allianceId);
    const [{ exists }] = (await this.client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [partition])).rows;
    if (withVoters && !exists) {
      await this.client.query(`CREATE TABLE ${partition} (LIKE voter INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)`);
      // COPY leaves these out; the CHECK lets ATTACH skip scanning the rows to prove they belong.
      await this.client.query(`ALTER TABLE ${partition} ALTER alliance_id SET DEFAULT '${allianceId}', ALTER last_import_id SET DEFAULT '${importId}'`);
      await this.client.query(`ALTER TABLE ${partition} ADD CONSTRAINT ${partition}_alliance_check CHECK (alliance_id = '${allianceId}')`);
      this.votersTable = partition;
      this.freshPartition = partition;
    }
    await this.client.query(`
      CREATE TEMPORARY TABLE staging_voter (
        source_line integer NOT NULL,
        source_voter_id text COLLATE "C" NOT NULL,
        first_name text, middle_name text, last_name text, name_suffix text,
        residential_address text, city text COLLATE "C", county text COLLATE "C", precinct text COLLATE "C", zip5 text COLLATE "C",
        birth_year smallint, party_code text, party text COLLATE "C" NOT NULL, gender_code text,
        race_code text, ethnicity_code text, race_ethnicity text COLLATE "C" NOT NULL,
        registration_date date, registration_status text, phones jsonb NOT NULL, propensity text COLLATE "C" NOT NULL
      ) ON COMMIT DROP`);
    await this.client.query(`
      CREATE TEMPORARY TABLE staging_history (
        line_number integer NOT NULL,
        source_voter_id text COLLATE "C" NOT NULL,
        election_date date NOT NULL,
        election_type text NOT NULL,
        election_label text, voting_method text, voted_party_code text
      ) ON COMMIT DROP`);
  }

  copyVoters(): Writable {
    // FREEZE (allowed into a table created in this transaction) writes the rows already frozen
    // and their pages all-visible: searches count from indexes alone at once, and no vacuum has
    // to rewrite a million rows later.
    const freeze = this.freshPartition !== null ? ' WITH (FREEZE)' : '';
    this.votersCopy = this.client.query(copyFrom(`COPY ${this.votersTable} (${STAGING_VOTER_COLUMNS.join(', ')}) FROM STDIN${freeze}`));
    return this.votersCopy;
  }

  /** Rows the voters' COPY wrote, as the server counted them once it finished. */
  private get copiedVoters(): number {
    if (this.votersCopy === null) throw new Error('no voters were copied in this session');
    return this.votersCopy.rowCount;
  }

  copyHistory(): Writable {
    return this.client.query(copyFrom(`COPY staging_history (${STAGING_HISTORY_COLUMNS.join(', ')}) FROM STDIN`));
  }

  /**
   * Staged history is joined by voter id and never auto-analyzed: without statistics its joins
   * would be planned blind. Staged voters need none: their unique index (below) tells the
   * planner what it needs, and the merge joins them once, by hash.
   */
  async analyzeStaging(): Promise<void> {
    await this.client.query('ANALYZE staging_history');
  }

  /**
   * Keeps the last line of each voter id the file repeats and reports the earlier ones; the
   * merge below needs one staged row per voter. Returns how many lines were set aside.
   */
  private async setAsideDuplicateVoters(importId: string, keyColumn: string): Promise<number> {
    const table = this.votersTable;
    const [{ repeated }] = (
      await this.client.query<{ repeated: number }>(
        `SELECT count(*)::int AS repeated FROM (SELECT 1 FROM ${table} GROUP BY source_voter_id HAVING count(*) > 1) d`,
      )
    ).rows;
    if (repeated === 0) return 0;
    await this.client.query(
      `INSERT INTO voter_import_error (import_id, line_number, column_name, reason, kind)
       SELECT $1, source_line, $2, 'the voter id ' || source_voter_id || ' appears again on line ' || kept || ', and the later line is the one imported', 'duplicate'
       FROM (
         SELECT source_line, source_voter_id, max(source_line) OVER (PARTITION BY source_voter_id) AS kept
         FROM ${table}
         WHERE source_voter_id IN (SELECT source_voter_id FROM ${table} GROUP BY source_voter_id HAVING count(*) > 1)
       ) ranked
       WHERE source_line < kept`,
      [importId, keyColumn],
    );
    const deleted = await this.client.query(
      `DELETE FROM ${table} s USING ${table} t WHERE s.source_voter_id = t.source_voter_id AND s.source_line < t.source_line`,
    );
    this.setAside += deleted.rowCount ?? 0;
    return deleted.rowCount ?? 0;
  }

  /** The set-based merge of the copied voters into `voter`; runs inside the import's transaction. */
  async mergeVoters(scope: MergeScope, options: { fullRefresh: boolean; keyColumn: string }): Promise<VoterMergeCounts> {
    if (this.freshPartition !== null) return this.attachFreshPartition(scope, this.freshPartition, options.keyColumn);
    await this.buildIndexSettingAsideRepeats(
      'CREATE UNIQUE INDEX staging_voter_source_idx ON staging_voter (source_voter_id)',
      scope.importId,
      options.keyColumn,
    );
    const propensity = propensitySql(scope.asOf);
    const staged = this.copiedVoters - this.setAside;
    // One join of file and alliance for both outcomes (an UPDATE then an INSERT … NOT EXISTS
    // joined them twice). MERGE reports only how many rows it wrote; the alliance's voter count
    // before and after (under the merge lock nothing else writes them) splits that into new and changed.
    const votersBefore = await this.countVoters(scope.allianceId);
    // Room to hash a statewide file's voters in memory rather than in batches spilled to disk.
    await this.client.query(`SET LOCAL work_mem = '256MB'`);
    const merged = await this.client.query(
      `MERGE INTO voter v USING staging_voter s ON v.alliance_id = $1 AND v.source_voter_id = s.source_voter_id
       WHEN MATCHED AND (${VOTER_FILE_COLUMNS.map((column) => `v.${column}`).join(', ')}, v.active)
                        IS DISTINCT FROM (${VOTER_FILE_COLUMNS.map((column) => `s.${column}`).join(', ')}, true) THEN
         UPDATE SET ${VOTER_FILE_COLUMNS.map((column) => `${column} = s.${column}`).join(', ')}, source_line = s.source_line,
           propensity = ${propensity('s.registration_date', `(SELECT count(DISTINCT vh.election_date) FROM vote_history vh WHERE vh.voter_id = v.id AND ${generalsFilter(scope.asOf, 'vh')})`)},
           active = true, last_import_id = $2, updated_at = now()
       WHEN NOT MATCHED THEN
         INSERT (alliance_id, last_import_id, ${STAGING_VOTER_COLUMNS.join(', ')})
         VALUES ($1, $2, ${STAGING_VOTER_COLUMNS.map((column) => `s.${column}`).join(', ')})`,
      [scope.allianceId, scope.importId],
    );
    const insertedCount = (await this.countVoters(scope.allianceId)) - votersBefore;
    const updatedCount = (merged.rowCount ?? 0) - insertedCount;
    const deactivated = options.fullRefresh
      ? await this.client.query(
          `UPDATE voter v SET active = false, last_import_id = $2, updated_at = now()
           WHERE v.alliance_id = $1 AND v.active
             AND NOT EXISTS (SELECT 1 FROM staging_voter s WHERE s.source_voter_id = v.source_voter_id)`,
          [scope.allianceId, scope.importId],
        )
      : null;
    return { inserted: insertedCount, updated: updatedCount, unchanged: staged - insertedCount - updatedCount, deactivated: deactivated?.rowCount ?? 0 };
  }

  private async countVoters(allianceId: string): Promise<number> {
    const [{ count }] = (await this.client.query<{ count: number }>('SELECT count(*)::int AS count FROM voter WHERE alliance_id = $1', [allianceId])).rows;
    return count;
  }

  /** Builds the new partition's copies of the parent's indexes in bulk, then attaches it. */
  private async attachFreshPartition(scope: MergeScope, partition: string, keyColumn: string): Promise<VoterMergeCounts> {
    await this.client.query(`ALTER TABLE ${partition} ALTER alliance_id DROP DEFAULT, ALTER last_import_id DROP DEFAULT`);
    await this.client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const indexes = (
      await this.client.query<{ definition: string; constraint_definition: string | null }>(
        // Unique indexes first: building the voter-id one is how repeated ids are found (see below).
        `SELECT pg_get_indexdef(x.indexrelid) AS definition, pg_get_constraintdef(c.oid) AS constraint_definition
         FROM pg_index x LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
         WHERE x.indrelid = 'voter'::regclass ORDER BY x.indisunique DESC, x.indexrelid`,
      )
    ).rows;
    const definitions = indexes.map(({ definition, constraint_definition: constraintDefinition }, position) => {
      const name = `${partition}_${position}`;
      // ATTACH adopts a partition's index for a parent's primary key or unique constraint only if
      // it backs the same constraint; a bare unique index would be passed over and built again.
      if (constraintDefinition !== null) return `ALTER TABLE ${partition} ADD CONSTRAINT ${name} ${constraintDefinition}`;
      // "CREATE [UNIQUE] INDEX name ON ONLY public.voter USING …" → the same index on the partition.
      const match = /^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ (USING .*)$/.exec(definition);
      if (!match) throw new Error(`unexpected index definition on voter: ${definition}`);
      return `CREATE ${match[1] ?? ''}INDEX ${name} ON ${partition} ${match[2]}`;
    });
    for (const definition of definitions) await this.buildIndexSettingAsideRepeats(definition, scope.importId, keyColumn);
    await this.client.query(`ALTER TABLE voter ATTACH PARTITION ${partition} FOR VALUES IN ('${scope.allianceId}')`);
    return { inserted: this.copiedVoters - this.setAside, updated: 0, unchanged: 0, deactivated: 0 };
  }

  /**
   * Files rarely repeat a voter id, so rather than always scanning for repeats, an index build
   * that fails on one (unique indexes on the voter id) sends us to set them aside and build again.
   */
  private async buildIndexSettingAsideRepeats(definition: string, importId: string, keyColumn: string): Promise<void> {
    await this.client.query('SAVEPOINT build_index');
    try {
      await this.client.query(definition);
    } catch (error) {
      await this.client.query('ROLLBACK TO SAVEPOINT build_index');
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION || (await this.setAsideDuplicateVoters(importId, keyColumn)) === 0) throw error;
      await this.client.query(definition);
    }
    await this.client.query('RELEASE SAVEPOINT build_index');
  }

  /** Merges staged vote history onto the alliance's voters (by source voter id) and re-derives their propensity. */
  async mergeHistory(scope: MergeScope): Promise<HistoryMergeCounts> {
    const [{ unmatched }] = (
      await this.client.query<{ unmatched: number }>(
        `SELECT count(*)::int AS unmatched FROM staging_history h
       WHERE NOT EXISTS (SELECT 1 FROM voter v WHERE v.alliance_id = $1 AND v.source_voter_id = h.source_voter_id)`,
        [scope.allianceId],
      )
    ).rows;
    const [counts] = (
      await this.client.query<{ inserted: number; updated: number; distinct_rows: number }>(
        `WITH wanted AS (
         SELECT DISTINCT ON (v.id, h.election_date, h.election_type)
           v.id AS voter_id, h.election_date, h.election_type, h.election_label, h.voting_method, h.voted_party_code
         FROM staging_history h JOIN voter v ON v.alliance_id = $1 AND v.source_voter_id = h.source_voter_id
         ORDER BY v.id, h.election_date, h.election_type, h.line_number DESC
       ), written AS (
         INSERT INTO vote_history AS vh (voter_id, alliance_id, election_date, election_type, election_label, voting_method, voted_party_code, last_import_id)
         SELECT voter_id, $1, election_date, election_type, election_label, voting_method, voted_party_code, $2 FROM wanted
         ON CONFLICT (voter_id, election_date, election_type) DO UPDATE
           SET election_label = EXCLUDED.election_label, voting_method = EXCLUDED.voting_method,
               voted_party_code = EXCLUDED.voted_party_code, last_import_id = EXCLUDED.last_import_id
           WHERE (vh.election_label, vh.voting_method, vh.voted_party_code)
                 IS DISTINCT FROM (EXCLUDED.election_label, EXCLUDED.voting_method, EXCLUDED.voted_party_code)
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
              (SELECT count(*)::int FROM wanted) AS distinct_rows
       FROM written`,
        [scope.allianceId, scope.importId],
      )
    ).rows;
    const propensity = propensitySql(scope.asOf);
    const recomputed = await this.client.query(
      `UPDATE voter v SET propensity = p.propensity, updated_at = now()
       FROM (
         SELECT t.id, ${propensity('t.registration_date', 'coalesce(c.voted, 0)')} AS propensity
         FROM voter t
         JOIN (SELECT DISTINCT source_voter_id FROM staging_history) touched ON t.alliance_id = $1 AND t.source_voter_id = touched.source_voter_id
         LEFT JOIN (
           SELECT vh.voter_id, count(DISTINCT vh.election_date)::int AS voted FROM vote_history vh
           WHERE vh.alliance_id = $1 AND ${generalsFilter(scope.asOf, 'vh')} GROUP BY vh.voter_id
         ) c ON c.voter_id = t.id
       ) p
       WHERE v.id = p.id AND v.propensity <> p.propensity`,
      [scope.allianceId],
    );
    return {
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.distinct_rows - counts.inserted - counts.updated,
      unmatched,
      propensityChanged: recomputed.rowCount ?? 0,
    };
  }

  /** Runs one statement on this session's connection (inside its transaction, when one is open). */
  async execute(sql: string, parameters: readonly unknown[]): Promise<void> {
    await this.client.query(sql, parameters as unknown[]);
  }

  /** Gives the connection back without the import's session lock (or drops it, if anything is in doubt). */
  async close(): Promise<void> {
    if (!this.broken) {
      try {
        await this.client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RUNNING_IMPORT_LOCK, this.importId]);
      } catch (error) {
        this.broken = error instanceof Error ? error : new Error(String(error));
      }
    }
    // A connection in doubt (a failed rollback or unlock) is closed, so the pool never hands it out again mid-transaction.
    if (this.broken) await this.client.end().catch(() => undefined);
    this.releaseClient();
  }
}

function isoDateLiteral(date: string): string {
  // Inlined, never user input: our own computed dates, checked to be nothing but a date.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not an ISO date: ${date}`);
  return `DATE '${date}'`;
}

function generalsFilter(asOf: Date, alias: string): string {
  return `${alias}.election_type = 'general' AND ${alias}.election_date IN (${lastFourGeneralElections(asOf).map(isoDateLiteral).join(', ')})`;
}

/** derivePropensity (propensity.rule.ts) in SQL, as a function of the registration date and general elections voted. */
export function propensitySql(asOf: Date): (registration: string, voted: string) => string {
  const generals = lastFourGeneralElections(asOf).map(isoDateLiteral);
  const cutoff = isoDateLiteral(twoYearsBefore(asOf));
  return (registration, voted) => {
    const eligible = `(CASE WHEN ${registration} IS NULL THEN 4 ELSE ${generals.map((date) => `(${date} >= ${registration})::int`).join(' + ')} END)`;
    return `(CASE WHEN ${voted} = 0 AND ((${registration} IS NOT NULL AND ${registration} > ${cutoff}) OR ${eligible} = 0) THEN 'new'
      WHEN ${voted} >= 3 OR (${eligible} >= 2 AND ${eligible} < 4 AND ${voted} = ${eligible}) THEN 'frequent'
      ELSE 'occasional' END)`;
  };
}
