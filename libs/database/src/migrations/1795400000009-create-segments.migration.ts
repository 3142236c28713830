import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Values segments: an alliance's taxonomy (immutable versions), the models that classify voters
 * into it (rule lists or trained from a poll, versioned, with their evaluation), the poll each
 * trained model learned from, each run that applied a model to the whole file, the resulting
 * segment of every voter, and what conversations taught us about a voter since.
 *
 * `segment_assignment` is partitioned by model: applying a model builds its partition aside,
 * indexes it in bulk and swaps it in, so a re-apply never leaves two rows for a voter and a
 * million-row write never goes through a live index.
 */
export class CreateSegments1795400000009 implements MigrationInterface {
  name = 'CreateSegments1795400000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE segment_taxonomy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 1),
        -- ordered [{key, name, description, colour}]; a version never changes once written
        segments jsonb NOT NULL CHECK (jsonb_typeof(segments) = 'array'),
        -- [{key, prompt, answers: [{key, label, likelihoods: {segmentKey: P(answer | segment)}}]}]
        values_questions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(values_questions) = 'array'),
        created_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT segment_taxonomy_alliance_version_unique UNIQUE (alliance_id, version),
        CONSTRAINT segment_taxonomy_alliance_id_unique UNIQUE (alliance_id, id)
      )`);
    await queryRunner.query(`CREATE TYPE segment_model_kind AS ENUM ('rules', 'trained')`);
    await queryRunner.query(`CREATE TYPE segment_model_status AS ENUM ('queued', 'training', 'ready', 'failed')`);
    await queryRunner.query(`
      CREATE TABLE segment_model (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        taxonomy_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind segment_model_kind NOT NULL,
        status segment_model_status NOT NULL,
        -- rules: {rules, fallbackSegment}; trained: features, weights and the scaling they assume
        definition jsonb,
        -- what training asked for (folds, seed, regularisation grid)
        training_options jsonb NOT NULL DEFAULT '{}',
        evaluation jsonb,
        -- the poll's counts: rows, matched, unmatched (with examples), per segment
        poll jsonb,
        training_seconds real,
        error_message text,
        -- the one model whose segments volunteers see and later imports are classified by
        active boolean NOT NULL DEFAULT false,
        created_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        trained_at timestamptz,
        CONSTRAINT segment_model_alliance_version_unique UNIQUE (alliance_id, version),
        CONSTRAINT segment_model_alliance_id_unique UNIQUE (alliance_id, id),
        CONSTRAINT segment_model_taxonomy_fk FOREIGN KEY (alliance_id, taxonomy_id) REFERENCES segment_taxonomy (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT segment_model_ready_check CHECK (status <> 'ready' OR definition IS NOT NULL),
        CONSTRAINT segment_model_active_check CHECK (NOT active OR status = 'ready')
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX segment_model_one_active_idx ON segment_model (alliance_id) WHERE active`);
    await queryRunner.query(`CREATE INDEX segment_model_unfinished_idx ON segment_model (id) WHERE status IN ('queued', 'training')`);
    // One row per line of the poll a model was trained on: the record of what it learned from.
    await queryRunner.query(`
      CREATE TABLE segment_poll_response (
        model_id uuid NOT NULL REFERENCES segment_model (id) ON DELETE CASCADE,
        line_number integer NOT NULL CHECK (line_number >= 2),
        alliance_id uuid NOT NULL,
        source_voter_id text COLLATE "C" NOT NULL,
        -- NULL when the poll's voter id matched no voter of the alliance (counted, never dropped)
        voter_id bigint,
        segment_key text COLLATE "C" NOT NULL,
        PRIMARY KEY (model_id, line_number)
      )`);
    await queryRunner.query(`CREATE TYPE segment_application_status AS ENUM ('queued', 'running', 'succeeded', 'failed')`);
    await queryRunner.query(`
      CREATE TABLE segment_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        model_id uuid NOT NULL,
        status segment_application_status NOT NULL DEFAULT 'queued',
        voters_total integer CHECK (voters_total >= 0),
        voters_done integer NOT NULL DEFAULT 0 CHECK (voters_done >= 0),
        distribution jsonb,
        seconds real,
        error_message text,
        requested_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT segment_application_model_fk FOREIGN KEY (alliance_id, model_id) REFERENCES segment_model (alliance_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX segment_application_model_created_idx ON segment_application (model_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX segment_application_unfinished_idx ON segment_application (id) WHERE status IN ('queued', 'running')`);
    // No foreign keys: a partition is written by COPY in bulk and dropped with its model.
    await queryRunner.query(`
      CREATE TABLE segment_assignment (
        model_id uuid NOT NULL,
        voter_id bigint NOT NULL,
        alliance_id uuid NOT NULL,
        -- the voter's segment now: the model's call, updated by what conversations told us
        segment_key text COLLATE "C" NOT NULL,
        probability real NOT NULL CHECK (probability BETWEEN 0 AND 1),
        -- the model's own probabilities, in the order of its taxonomy's segments
        model_probabilities real[] NOT NULL,
        evidence_count smallint NOT NULL DEFAULT 0 CHECK (evidence_count >= 0),
        PRIMARY KEY (model_id, voter_id)
      ) PARTITION BY LIST (model_id)`);
    await queryRunner.query(`
      CREATE TABLE segment_evidence (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        taxonomy_id uuid NOT NULL REFERENCES segment_taxonomy (id) ON DELETE CASCADE,
        question_key text NOT NULL CHECK (length(question_key) BETWEEN 1 AND 64),
        answer_key text NOT NULL CHECK (length(answer_key) BETWEEN 1 AND 64),
        -- P(answer | segment) by segment key, as the question stated it when answered
        likelihoods jsonb NOT NULL CHECK (jsonb_typeof(likelihoods) = 'object'),
        source text NOT NULL CHECK (source IN ('phone', 'sms', 'manual')),
        -- the contact attempt or message the answer came from; a repeat of the same answer is one row
        source_reference text CHECK (length(source_reference) <= 200),
        model_id uuid,
        segment_before text,
        probability_before real,
        segment_after text,
        probability_after real,
        recorded_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT segment_evidence_voter_fk FOREIGN KEY (alliance_id, voter_id) REFERENCES voter (alliance_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX segment_evidence_voter_idx ON segment_evidence (alliance_id, voter_id, id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX segment_evidence_source_unique ON segment_evidence (alliance_id, source, source_reference, question_key) WHERE source_reference IS NOT NULL`,
    );

    await queryRunner.query(`GRANT SELECT, INSERT ON segment_taxonomy TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON segment_model, segment_application TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON segment_poll_response TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, UPDATE ON segment_assignment TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON segment_evidence TO crossroads_api`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE segment_evidence_id_seq TO crossroads_api`);
    await this.createPolicies(queryRunner);
  }

  /** Who a voter's segment, evidence or poll answer belongs to follows who may see the voter. */
  private async createPolicies(queryRunner: QueryRunner): Promise<void> {
    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    for (const table of ['segment_assignment', 'segment_evidence', 'segment_poll_response']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY ${table}_alliance_reader ON ${table} TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`);
    }
    // Organization readers: the voters their voter policy lets them see (that policy applies
    // inside this subquery too), never a poll.
    for (const table of ['segment_assignment', 'segment_evidence']) {
      const visible = `${alliance} AND EXISTS (SELECT 1 FROM voter v WHERE v.alliance_id = ${table}.alliance_id AND v.id = ${table}.voter_id)`;
      await queryRunner.query(
        `CREATE POLICY ${table}_organization_reader ON ${table} TO crossroads_organization_reader USING (${visible}) WITH CHECK (${visible})`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE segment_evidence`);
    await queryRunner.query(`DROP TABLE segment_assignment`);
    await queryRunner.query(`DROP TABLE segment_application`);
    await queryRunner.query(`DROP TYPE segment_application_status`);
    await queryRunner.query(`DROP TABLE segment_poll_response`);
    await queryRunner.query(`DROP TABLE segment_model`);
    await queryRunner.query(`DROP TYPE segment_model_status`);
    await queryRunner.query(`DROP TYPE segment_model_kind`);
    await queryRunner.query(`DROP TABLE segment_taxonomy`);
  }
}
