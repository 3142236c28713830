import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Turf (saved voter filters, materialized, split and assigned to member organizations per
 * campaign), the audit log, and the database's own wall around voter data: row-level security
 * that the api cannot bypass.
 *
 * Three roles, created once per cluster (roles are global, so `up` tolerates them existing and
 * `down` leaves them when another database still uses them):
 * - `crossroads_api`: what the api acts as for every statement (set at connection start). Not a
 *   superuser, not an owner, no BYPASSRLS; it has no row policy of its own, so on its own it sees
 *   no voter at all.
 * - `crossroads_alliance_reader` and `crossroads_organization_reader`: a transaction that reads
 *   voter data switches to one of them (SET LOCAL ROLE) after stating its scope in
 *   `crossroads.*` settings. They differ only in their policies; a policy that never mentions
 *   county or turf lets an alliance-wide search keep its index-only scans.
 */
export class CreateTurfAndRowSecurity1795400000006 implements MigrationInterface {
  name = 'CreateTurfAndRowSecurity1795400000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaign_alliance_slug_unique UNIQUE (alliance_id, slug),
        CONSTRAINT campaign_alliance_id_unique UNIQUE (alliance_id, id)
      )`);
    await queryRunner.query(`CREATE TYPE turf_status AS ENUM ('draft', 'materialized')`);
    await queryRunner.query(`
      CREATE TABLE turf (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        -- the anchor that cut it; NULL when the alliance did
        organization_id uuid,
        -- set on the parts of a split
        parent_turf_id uuid REFERENCES turf (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        filter jsonb NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
        status turf_status NOT NULL DEFAULT 'draft',
        voter_count integer CHECK (voter_count >= 0),
        created_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        materialized_at timestamptz,
        CONSTRAINT turf_alliance_id_unique UNIQUE (alliance_id, id),
        CONSTRAINT turf_organization_fk FOREIGN KEY (alliance_id, organization_id) REFERENCES organization (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT turf_materialized_check CHECK ((status = 'materialized') = (materialized_at IS NOT NULL AND voter_count IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX turf_alliance_created_idx ON turf (alliance_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX turf_parent_idx ON turf (parent_turf_id) WHERE parent_turf_id IS NOT NULL`);
    // No foreign key to voter: voters are deactivated, never deleted, and a per-row check would
    // slow the materializing of a county-sized turf several times over.
    await queryRunner.query(`
      CREATE TABLE turf_voter (
        turf_id uuid NOT NULL REFERENCES turf (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        alliance_id uuid NOT NULL,
        PRIMARY KEY (turf_id, voter_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE turf_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        campaign_id uuid NOT NULL,
        turf_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        -- only member organizations receive turf: the key below matches the organization's kind
        organization_kind organization_kind NOT NULL GENERATED ALWAYS AS ('member'::organization_kind) STORED,
        voter_count integer NOT NULL CHECK (voter_count >= 0),
        assigned_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        assigned_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        end_reason text CHECK (end_reason IN ('unassigned', 'reassigned')),
        CONSTRAINT turf_assignment_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT turf_assignment_turf_fk FOREIGN KEY (alliance_id, turf_id) REFERENCES turf (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT turf_assignment_organization_fk FOREIGN KEY (alliance_id, organization_id, organization_kind)
          REFERENCES organization (alliance_id, id, kind) ON DELETE CASCADE,
        CONSTRAINT turf_assignment_end_check CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX turf_assignment_campaign_idx ON turf_assignment (campaign_id, assigned_at DESC)`);
    await queryRunner.query(`CREATE INDEX turf_assignment_organization_idx ON turf_assignment (organization_id, assigned_at DESC)`);
    // The rule "a voter is in at most one organization's turf per campaign" is this primary key.
    // Rows live while their assignment does; the assignment row keeps the history.
    await queryRunner.query(`
      CREATE TABLE turf_assignment_voter (
        campaign_id uuid NOT NULL,
        voter_id bigint NOT NULL,
        alliance_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        turf_assignment_id uuid NOT NULL REFERENCES turf_assignment (id) ON DELETE CASCADE,
        PRIMARY KEY (campaign_id, voter_id)
      )`);
    // Feeds the organization readers' voter policy: one index-only scan per query.
    await queryRunner.query(`CREATE INDEX turf_assignment_voter_organization_idx ON turf_assignment_voter (organization_id, voter_id)`);
    await queryRunner.query(`CREATE INDEX turf_assignment_voter_assignment_idx ON turf_assignment_voter (turf_assignment_id)`);
    await queryRunner.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alliance_id uuid REFERENCES alliance (id) ON DELETE CASCADE,
        actor_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action ~ '^[a-z][a-z_.]{1,62}$'),
        subject_type text CHECK (length(subject_type) <= 64),
        subject_id text CHECK (length(subject_id) <= 200),
        details jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX audit_event_alliance_created_idx ON audit_event (alliance_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_event_actor_created_idx ON audit_event (actor_user_id, created_at DESC)`);

    await this.createRoles(queryRunner);
    await this.grantPrivileges(queryRunner);
    await this.createPolicies(queryRunner);
  }

  private async createRoles(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      DECLARE
        name text;
      BEGIN
        FOREACH name IN ARRAY ARRAY['crossroads_api', 'crossroads_alliance_reader', 'crossroads_organization_reader'] LOOP
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', name);
          END IF;
        END LOOP;
        -- Readers do everything the api may do, plus read voters under their policies.
        GRANT crossroads_api TO crossroads_alliance_reader;
        GRANT crossroads_api TO crossroads_organization_reader;
        -- A migrating user that is not a superuser must still be able to take these roles on.
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT crossroads_api, crossroads_alliance_reader, crossroads_organization_reader TO %I', current_user);
        END IF;
      END
      $$`);
    // The scope a transaction declared, read once per statement (wrapped in SELECT by the
    // policies, so each is an InitPlan rather than a call per row). Unset means nothing.
    await queryRunner.query(`
      CREATE FUNCTION crossroads_scope_alliance() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT NULLIF(current_setting('crossroads.alliance_id', true), '')::uuid $$`);
    await queryRunner.query(`
      CREATE FUNCTION crossroads_scope_organizations() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT COALESCE(NULLIF(current_setting('crossroads.organization_ids', true), '')::uuid[], '{}') $$`);
    await queryRunner.query(`
      CREATE FUNCTION crossroads_scope_counties() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT COALESCE(NULLIF(current_setting('crossroads.region_counties', true), '')::text[], '{}') $$`);
  }

  private async grantPrivileges(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT ON alliance, queue_probe TO crossroads_api`);
    await queryRunner.query(`GRANT INSERT, UPDATE ON queue_probe TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON organization, app_user, membership, user_session TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON voter_import TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON campaign, turf, turf_assignment TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_event TO crossroads_api`);
    // Voter data: the parent tables only. Partitions get no grant, so nobody reads one directly
    // past the parent's policies.
    await queryRunner.query(`GRANT SELECT ON voter, vote_history, voter_import_error TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON turf_voter, turf_assignment_voter TO crossroads_api`);
  }

  private async createPolicies(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['voter', 'vote_history', 'voter_import_error', 'turf_voter', 'turf_assignment_voter']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    }
    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    // The casts keep ANY from reading the scalar subquery as a set.
    const organizations = `((SELECT crossroads_scope_organizations())::uuid[])`;
    // An organization sees its anchor region's voters (an anchor cutting turf) and the voters
    // turfed to it or, for an anchor, to its members in any campaign.
    const organizationVoters = `(county = ANY ((SELECT crossroads_scope_counties())::text[])
      OR id IN (SELECT tav.voter_id FROM turf_assignment_voter tav WHERE tav.organization_id = ANY ${organizations}))`;
    await queryRunner.query(`CREATE POLICY voter_alliance_reader ON voter FOR SELECT TO crossroads_alliance_reader USING (${alliance})`);
    await queryRunner.query(
      `CREATE POLICY voter_organization_reader ON voter FOR SELECT TO crossroads_organization_reader USING (${alliance} AND ${organizationVoters})`,
    );
    await queryRunner.query(`CREATE POLICY vote_history_alliance_reader ON vote_history FOR SELECT TO crossroads_alliance_reader USING (${alliance})`);
    await queryRunner.query(
      `CREATE POLICY vote_history_organization_reader ON vote_history FOR SELECT TO crossroads_organization_reader
         USING (${alliance} AND EXISTS (SELECT 1 FROM voter v WHERE v.alliance_id = vote_history.alliance_id AND v.id = vote_history.voter_id))`,
    );
    // Problems quote values from the file: alliance-wide readers only.
    await queryRunner.query(
      `CREATE POLICY voter_import_error_alliance_reader ON voter_import_error FOR SELECT TO crossroads_alliance_reader
         USING (import_id IN (SELECT i.id FROM voter_import i WHERE i.${alliance}))`,
    );
    // Turf membership: alliance readers see the alliance's; organization readers the turf cut
    // by their organizations or assigned to them. Writes must stay inside the alliance.
    const ownTurf = `turf_id IN (SELECT t.id FROM turf t WHERE t.${alliance} AND (t.organization_id = ANY ${organizations}
      OR t.id IN (SELECT ta.turf_id FROM turf_assignment ta WHERE ta.organization_id = ANY ${organizations})))`;
    await queryRunner.query(
      `CREATE POLICY turf_voter_alliance_reader ON turf_voter TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`,
    );
    await queryRunner.query(
      `CREATE POLICY turf_voter_organization_reader ON turf_voter TO crossroads_organization_reader USING (${alliance} AND ${ownTurf}) WITH CHECK (${alliance} AND ${ownTurf})`,
    );
    await queryRunner.query(
      `CREATE POLICY turf_assignment_voter_alliance_reader ON turf_assignment_voter TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`,
    );
    // Organizations see their own rows only. Another organization's hold on a voter still
    // stops an insert (a key is checked whatever the policies), which is how conflicts are counted.
    await queryRunner.query(
      `CREATE POLICY turf_assignment_voter_organization_reader ON turf_assignment_voter TO crossroads_organization_reader
         USING (${alliance} AND organization_id = ANY ${organizations}) WITH CHECK (${alliance} AND organization_id = ANY ${organizations})`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['voter', 'vote_history', 'voter_import_error']) {
      await queryRunner.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    for (const [policy, table] of [
      ['voter_alliance_reader', 'voter'],
      ['voter_organization_reader', 'voter'],
      ['vote_history_alliance_reader', 'vote_history'],
      ['vote_history_organization_reader', 'vote_history'],
      ['voter_import_error_alliance_reader', 'voter_import_error'],
    ]) {
      await queryRunner.query(`DROP POLICY ${policy} ON ${table}`);
    }
    await queryRunner.query(`DROP TABLE audit_event`);
    // turf_voter's policies read turf_assignment: it goes first.
    await queryRunner.query(`DROP TABLE turf_voter`);
    await queryRunner.query(`DROP TABLE turf_assignment_voter`);
    await queryRunner.query(`DROP TABLE turf_assignment`);
    await queryRunner.query(`DROP TABLE turf`);
    await queryRunner.query(`DROP TYPE turf_status`);
    await queryRunner.query(`DROP TABLE campaign`);
    await queryRunner.query(`DROP FUNCTION crossroads_scope_alliance(), crossroads_scope_organizations(), crossroads_scope_counties()`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM crossroads_api, crossroads_alliance_reader, crossroads_organization_reader`);
    await queryRunner.query(`REVOKE ALL ON SCHEMA public FROM crossroads_api`);
    // Roles belong to the cluster: drop them only when no other database still grants them anything.
    await queryRunner.query(`
      DO $$
      BEGIN
        DROP ROLE crossroads_organization_reader, crossroads_alliance_reader, crossroads_api;
      EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE NOTICE 'crossroads roles kept: another database still uses them';
      END
      $$`);
  }
}
