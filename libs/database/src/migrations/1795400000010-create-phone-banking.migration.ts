import type { MigrationInterface, QueryRunner } from 'typeorm';

const E164 = `'^\\+[1-9][0-9]{6,14}$'`;

/**
 * Phone banking: a campaign's settings (channel, dial mode, calling window, retry policy, script),
 * its call list (one row per phone, so a household sharing a phone is called once), volunteers'
 * calling sessions, calls (written before the carrier is asked), the carrier's raw events (stored
 * once per call and sequence number), contact attempts and survey responses, and the lists no
 * call may ignore: do-not-call, opt-outs and numbers known to be wrong.
 *
 * The call list, attempts and responses carry voter data: row security lets an organization
 * reader see and lease only its own organization's rows, as for turf.
 */
export class CreatePhoneBanking1795400000010 implements MigrationInterface {
  name = 'CreatePhoneBanking1795400000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE campaign_channel AS ENUM ('phone', 'sms')`);
    await queryRunner.query(`CREATE TYPE campaign_dial_mode AS ENUM ('preview', 'power', 'predictive')`);
    await queryRunner.query(`CREATE TYPE campaign_status AS ENUM ('draft', 'active', 'paused', 'finished')`);
    await queryRunner.query(`
      ALTER TABLE campaign
        -- NULL: an alliance-wide program whose member organizations each call the turf assigned to them
        ADD COLUMN organization_id uuid,
        ADD COLUMN channel campaign_channel NOT NULL DEFAULT 'phone',
        ADD COLUMN dial_mode campaign_dial_mode NOT NULL DEFAULT 'preview',
        ADD COLUMN status campaign_status NOT NULL DEFAULT 'draft',
        ADD COLUMN caller_ids text[] NOT NULL DEFAULT '{}',
        -- in the voter's own time zone; the law's 8:00-21:00 is a hard outer bound
        ADD COLUMN calling_window_start time NOT NULL DEFAULT '09:00',
        ADD COLUMN calling_window_end time NOT NULL DEFAULT '20:30',
        -- {outcome: {delayMinutes, maxAttempts}}
        ADD COLUMN retry_policy jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(retry_policy) = 'object'),
        ADD COLUMN contact_target integer CHECK (contact_target > 0),
        ADD COLUMN starts_on date,
        ADD COLUMN ends_on date,
        ADD COLUMN script jsonb CHECK (jsonb_typeof(script) = 'object'),
        ADD COLUMN survey_questions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(survey_questions) = 'array'),
        ADD COLUMN script_version integer NOT NULL DEFAULT 1 CHECK (script_version >= 1),
        ADD COLUMN created_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT campaign_organization_fk FOREIGN KEY (alliance_id, organization_id) REFERENCES organization (alliance_id, id) ON DELETE CASCADE,
        ADD CONSTRAINT campaign_window_check CHECK (
          calling_window_start >= '08:00' AND calling_window_end <= '21:00' AND calling_window_start < calling_window_end),
        ADD CONSTRAINT campaign_dates_check CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on),
        ADD CONSTRAINT campaign_caller_ids_check CHECK (array_position(caller_ids, NULL) IS NULL)`);
    await queryRunner.query(`CREATE INDEX campaign_organization_idx ON campaign (organization_id) WHERE organization_id IS NOT NULL`);

    await queryRunner.query(`CREATE TYPE campaign_contact_status AS ENUM ('open', 'done')`);
    await queryRunner.query(`
      CREATE TABLE campaign_contact (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        -- the organization whose turf holds the voter in this campaign: only its volunteers call them
        organization_id uuid NOT NULL,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        line_type text,
        -- the voter the card shows; the others share the phone and are not called separately
        voter_id bigint NOT NULL,
        household_voter_ids bigint[] NOT NULL,
        -- IANA zone from the voter's ZIP code; NULL when unknown, then only called while every US zone is in its window
        time_zone text,
        status campaign_contact_status NOT NULL DEFAULT 'open',
        attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- a lease moves this forward too, so one ordered index finds the next callable row
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_id uuid,
        leased_session_id uuid,
        leased_until timestamptz,
        last_disposition text,
        closed_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaign_contact_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT campaign_contact_phone_unique UNIQUE (campaign_id, phone),
        CONSTRAINT campaign_contact_closed_check CHECK ((status = 'done') = (closed_reason IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX campaign_contact_next_idx ON campaign_contact (campaign_id, organization_id, next_attempt_at, id) INCLUDE (time_zone) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX campaign_contact_lease_idx ON campaign_contact (lease_id) WHERE lease_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX campaign_contact_alliance_phone_idx ON campaign_contact (alliance_id, phone) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX campaign_contact_voter_idx ON campaign_contact (voter_id)`);

    await queryRunner.query(`CREATE TYPE calling_session_status AS ENUM ('active', 'paused', 'ended')`);
    await queryRunner.query(`
      CREATE TABLE calling_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        status calling_session_status NOT NULL DEFAULT 'active',
        started_at timestamptz NOT NULL DEFAULT now(),
        -- when the current pause began; paused_seconds adds up the earlier ones
        paused_at timestamptz,
        paused_seconds integer NOT NULL DEFAULT 0,
        ended_at timestamptz,
        CONSTRAINT calling_session_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT calling_session_organization_fk FOREIGN KEY (alliance_id, organization_id) REFERENCES organization (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT calling_session_ended_check CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
        CONSTRAINT calling_session_paused_check CHECK ((status = 'paused') = (paused_at IS NOT NULL))
      )`);
    // One open session per volunteer and campaign: a second tab resumes it rather than doubling leases.
    await queryRunner.query(`CREATE UNIQUE INDEX calling_session_open_idx ON calling_session (campaign_id, user_id) WHERE status <> 'ended'`);

    await queryRunner.query(`
      CREATE TABLE call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        campaign_contact_id bigint NOT NULL REFERENCES campaign_contact (id) ON DELETE CASCADE,
        calling_session_id uuid REFERENCES calling_session (id) ON DELETE SET NULL,
        -- one call per lease: a double click on "call" finds the call already placed
        lease_id uuid NOT NULL UNIQUE,
        to_phone text NOT NULL CHECK (to_phone ~ ${E164}),
        from_phone text NOT NULL CHECK (from_phone ~ ${E164}),
        provider text NOT NULL CHECK (provider IN ('twilio', 'carrier-sim')),
        provider_call_sid text UNIQUE,
        -- created: row written, carrier not asked yet; requesting: asked, answer not stored yet
        status text NOT NULL DEFAULT 'created' CHECK (status IN (
          'created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress',
          'completed', 'busy', 'no-answer', 'failed', 'canceled')),
        answered_by text,
        answered_at timestamptz,
        duration_seconds integer CHECK (duration_seconds >= 0),
        last_sequence_number integer,
        error_code text,
        error_message text,
        hangup_requested_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CONSTRAINT call_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX call_session_idx ON call (calling_session_id, created_at DESC)`);
    // "Never dialed twice at once": the selector looks for a live call to the same phone.
    await queryRunner.query(
      `CREATE INDEX call_live_phone_idx ON call (alliance_id, to_phone) WHERE status IN ('created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress')`,
    );

    await queryRunner.query(`
      CREATE TABLE provider_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider text NOT NULL CHECK (provider IN ('twilio', 'carrier-sim')),
        kind text NOT NULL CHECK (kind IN ('call_status', 'message_status', 'inbound_message')),
        -- CallSid or MessageSid
        provider_id text NOT NULL CHECK (length(provider_id) BETWEEN 1 AND 64),
        -- SequenceNumber where the carrier sends one, else the status: what makes a repeat a repeat
        event_key text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 64),
        -- our row the callback URL named (a call id), so an event can be applied before the sid is stored
        subject_id uuid,
        status text,
        payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
        received_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        CONSTRAINT provider_event_unique UNIQUE (provider, kind, provider_id, event_key)
      )`);
    await queryRunner.query(`CREATE INDEX provider_event_unapplied_idx ON provider_event (received_at) WHERE applied_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE contact_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        campaign_contact_id bigint NOT NULL REFERENCES campaign_contact (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        channel campaign_channel NOT NULL,
        calling_session_id uuid REFERENCES calling_session (id) ON DELETE SET NULL,
        volunteer_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        -- the lease the volunteer worked under: saving twice finds the first save
        lease_id uuid NOT NULL UNIQUE,
        call_id uuid UNIQUE REFERENCES call (id) ON DELETE SET NULL,
        -- what the carrier saw: human, machine, busy, no-answer, failed, canceled; NULL without a call
        outcome text,
        disposition text NOT NULL CHECK (disposition ~ '^[a-z_]{1,32}$'),
        call_back_at timestamptz,
        script_version integer NOT NULL,
        started_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contact_attempt_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT contact_attempt_call_back_check CHECK ((disposition = 'call_back') = (call_back_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX contact_attempt_campaign_created_idx ON contact_attempt (campaign_id, created_at)`);
    await queryRunner.query(`CREATE INDEX contact_attempt_voter_idx ON contact_attempt (alliance_id, voter_id)`);
    await queryRunner.query(`CREATE INDEX contact_attempt_session_idx ON contact_attempt (calling_session_id)`);

    await queryRunner.query(`
      CREATE TABLE survey_response (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        contact_attempt_id uuid NOT NULL REFERENCES contact_attempt (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        question_key text NOT NULL CHECK (question_key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
        answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT survey_response_attempt_question_unique UNIQUE (contact_attempt_id, question_key)
      )`);
    await queryRunner.query(`CREATE INDEX survey_response_campaign_question_idx ON survey_response (campaign_id, question_key)`);

    await queryRunner.query(`
      CREATE TABLE do_not_call (
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        source text NOT NULL CHECK (source IN ('disposition', 'admin', 'import')),
        contact_attempt_id uuid REFERENCES contact_attempt (id) ON DELETE SET NULL,
        created_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alliance_id, phone)
      )`);
    await queryRunner.query(`
      CREATE TABLE opt_out (
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        -- all: calls and texts
        channel text NOT NULL CHECK (channel IN ('phone', 'sms', 'all')),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alliance_id, phone, channel)
      )`);
    await queryRunner.query(`
      CREATE TABLE phone_status (
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        status text NOT NULL CHECK (status IN ('wrong_number')),
        contact_attempt_id uuid REFERENCES contact_attempt (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alliance_id, phone)
      )`);

    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON calling_session, call TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON provider_event TO crossroads_api`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE provider_event_id_seq TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON campaign_contact TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON contact_attempt, survey_response TO crossroads_api`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE survey_response_id_seq TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON do_not_call, opt_out, phone_status TO crossroads_api`);

    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    const ownOrganizations = `${alliance} AND organization_id = ANY ((SELECT crossroads_scope_organizations())::uuid[])`;
    for (const table of ['campaign_contact', 'contact_attempt', 'survey_response']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY ${table}_alliance_reader ON ${table} TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`);
      await queryRunner.query(
        `CREATE POLICY ${table}_organization_reader ON ${table} TO crossroads_organization_reader USING (${ownOrganizations}) WITH CHECK (${ownOrganizations})`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE phone_status, opt_out, do_not_call, survey_response, contact_attempt, provider_event, call, calling_session, campaign_contact`,
    );
    await queryRunner.query(`DROP TYPE calling_session_status, campaign_contact_status`);
    await queryRunner.query(`DROP INDEX campaign_organization_idx`);
    await queryRunner.query(`
      ALTER TABLE campaign
        DROP CONSTRAINT campaign_caller_ids_check, DROP CONSTRAINT campaign_dates_check, DROP CONSTRAINT campaign_window_check,
        DROP CONSTRAINT campaign_organization_fk,
        DROP COLUMN updated_at, DROP COLUMN created_by_user_id, DROP COLUMN script_version, DROP COLUMN survey_questions,
        DROP COLUMN script, DROP COLUMN ends_on, DROP COLUMN starts_on, DROP COLUMN contact_target, DROP COLUMN retry_policy,
        DROP COLUMN calling_window_end, DROP COLUMN calling_window_start, DROP COLUMN caller_ids, DROP COLUMN status,
        DROP COLUMN dial_mode, DROP COLUMN channel, DROP COLUMN organization_id`);
    await queryRunner.query(`DROP TYPE campaign_status, campaign_dial_mode, campaign_channel`);
  }
}
