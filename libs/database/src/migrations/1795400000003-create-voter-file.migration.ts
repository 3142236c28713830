import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateVoterFile1795400000003 implements MigrationInterface {
  name = 'CreateVoterFile1795400000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE voter_import_status AS ENUM ('queued', 'running', 'succeeded', 'rejected', 'failed')`);
    await queryRunner.query(`CREATE TYPE voter_import_phase AS ENUM ('queued', 'reading', 'merging', 'done')`);
    await queryRunner.query(`
      CREATE TABLE voter_import (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 500),
        file_path text NOT NULL,
        file_bytes bigint NOT NULL CHECK (file_bytes >= 0),
        format text CHECK (format IN ('ncvoter', 'ncvhis', 'ohio', 'california', 'generic')),
        mapping jsonb,
        full_refresh boolean NOT NULL DEFAULT false,
        max_error_rate numeric(6, 5) NOT NULL CHECK (max_error_rate BETWEEN 0 AND 1),
        status voter_import_status NOT NULL DEFAULT 'queued',
        phase voter_import_phase NOT NULL DEFAULT 'queued',
        bytes_read bigint NOT NULL DEFAULT 0,
        rows_read integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        deactivated integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        dropped_phones integer NOT NULL DEFAULT 0,
        history_rows integer NOT NULL DEFAULT 0,
        unmatched integer NOT NULL DEFAULT 0,
        error_message text,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX voter_import_alliance_created_idx ON voter_import (alliance_id, created_at DESC)`);
    // Finding interrupted imports to mark them failed must not scan history.
    await queryRunner.query(`CREATE INDEX voter_import_unfinished_idx ON voter_import (id) WHERE status IN ('queued', 'running')`);
    await queryRunner.query(`
      CREATE TABLE voter_import_error (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        import_id uuid NOT NULL REFERENCES voter_import (id) ON DELETE CASCADE,
        line_number integer NOT NULL CHECK (line_number >= 1),
        column_name text,
        reason text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('rejected', 'dropped', 'duplicate'))
      )`);
    await queryRunner.query(`CREATE INDEX voter_import_error_import_line_idx ON voter_import_error (import_id, line_number)`);
    // Partitioned by alliance: an alliance's first import loads a fresh partition, builds its
    // indexes in bulk and attaches it in one transaction, several times faster than inserting a
    // million rows through five live indexes; and each alliance's indexes stay its own size.
    await queryRunner.query(`CREATE SEQUENCE voter_id_seq AS bigint`);
    await queryRunner.query(`
      CREATE TABLE voter (
        id bigint NOT NULL DEFAULT nextval('voter_id_seq'),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        -- Keys and codes compare byte by byte (COLLATE "C"): equal is all a search asks of them, and
        -- indexes on them build about a quarter faster than under a linguistic collation.
        source_voter_id text COLLATE "C" NOT NULL CHECK (length(source_voter_id) BETWEEN 1 AND 64),
        -- the line of the file this voter was last written from, for a data lead tracing a value back
        source_line integer NOT NULL CHECK (source_line >= 1),
        first_name text,
        middle_name text,
        last_name text,
        name_suffix text,
        residential_address text,
        city text COLLATE "C",
        county text COLLATE "C",
        precinct text COLLATE "C",
        zip5 text COLLATE "C" CHECK (zip5 ~ '^[0-9]{5}$'),
        birth_year smallint CHECK (birth_year BETWEEN 1850 AND 2100),
        party_code text,
        party text COLLATE "C" NOT NULL CHECK (party IN ('democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown')),
        gender_code text,
        race_code text,
        ethnicity_code text,
        race_ethnicity text COLLATE "C" NOT NULL CHECK (
          race_ethnicity IN ('hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown')
        ),
        registration_date date,
        registration_status text,
        phones jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(phones) = 'array'),
        has_phone boolean GENERATED ALWAYS AS (phones <> '[]'::jsonb) STORED,
        propensity text COLLATE "C" NOT NULL CHECK (propensity IN ('new', 'occasional', 'frequent')),
        active boolean NOT NULL DEFAULT true,
        -- no foreign key: imports are kept as long as their alliance, and a per-row check would slow every load
        last_import_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT voter_pkey PRIMARY KEY (alliance_id, id),
        CONSTRAINT voter_alliance_source_unique UNIQUE (alliance_id, source_voter_id)
      ) PARTITION BY LIST (alliance_id)`);
    await queryRunner.query(`ALTER SEQUENCE voter_id_seq OWNED BY voter.id`);
    // Search filters by place, then pages by id: each index ends in id so keyset pages stay index
    // scans. Each partition holds one alliance, so alliance_id only rides along (INCLUDE) for the
    // planner's sake. The
    // INCLUDE columns let the total of a search be counted from the index alone (an alliance's
    // first import writes its rows frozen and all-visible), rather than by visiting 100k rows.
    await queryRunner.query(
      `CREATE INDEX voter_county_precinct_idx ON voter (county, precinct, id) INCLUDE (alliance_id, active, party, birth_year, propensity, race_ethnicity, has_phone)`,
    );
    await queryRunner.query(`CREATE INDEX voter_zip_idx ON voter (zip5, id) INCLUDE (alliance_id, active)`);
    await queryRunner.query(`CREATE INDEX voter_city_idx ON voter (city, id) INCLUDE (alliance_id, active)`);
    // Searches by who rather than where (party and age, the usual turf cuts without a place).
    await queryRunner.query(
      `CREATE INDEX voter_party_birth_year_idx ON voter (party, birth_year) INCLUDE (alliance_id, active, propensity, race_ethnicity, has_phone)`,
    );
    await queryRunner.query(`
      CREATE TABLE vote_history (
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        election_date date NOT NULL,
        election_type text NOT NULL CHECK (election_type IN ('general', 'primary', 'special', 'other')),
        election_label text,
        voting_method text,
        voted_party_code text,
        last_import_id uuid,
        PRIMARY KEY (voter_id, election_date, election_type),
        CONSTRAINT vote_history_voter_fk FOREIGN KEY (alliance_id, voter_id) REFERENCES voter (alliance_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX vote_history_alliance_election_idx ON vote_history (alliance_id, election_type, election_date)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE vote_history`);
    await queryRunner.query(`DROP TABLE voter`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS voter_id_seq`);
    await queryRunner.query(`DROP TABLE voter_import_error`);
    await queryRunner.query(`DROP TABLE voter_import`);
    await queryRunner.query(`DROP TYPE voter_import_phase`);
    await queryRunner.query(`DROP TYPE voter_import_status`);
  }
}
