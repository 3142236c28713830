import type { MigrationInterface, QueryRunner } from 'typeorm';

const E164 = `'^\\+[1-9][0-9]{6,14}$'`;
const MESSAGING_SERVICE_SID = `'^MG[0-9a-fA-F]{32}$'`;

/**
 * Peer-to-peer texting. A text campaign gets its sending numbers (or a Messaging Service), its
 * initial message with per-segment variants, canned responses and an optional suppression of
 * phones another campaign texted lately; its call list (campaign_contact, one row per phone) is
 * handed to texters in batches, each contact becoming a conversation; every text in or out is a
 * `message` row, written before the carrier is asked, under a unique idempotency key, and one
 * initial text per campaign and phone. Opt-outs keep their current state in `opt_out` and their
 * history (who, why, reversed by whom) in `opt_out_event`.
 */
export class CreateTexting1795400000017 implements MigrationInterface {
  name = 'CreateTexting1795400000017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE campaign
        ADD COLUMN sending_numbers text[] NOT NULL DEFAULT '{}',
        ADD COLUMN messaging_service_sid text CHECK (messaging_service_sid ~ ${MESSAGING_SERVICE_SID}),
        -- {template, variants: [{segmentKey, template}]}
        ADD COLUMN initial_message jsonb CHECK (jsonb_typeof(initial_message) = 'object'),
        -- [{key, title, body}]
        ADD COLUMN canned_responses jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(canned_responses) = 'array'),
        -- skip phones another campaign of the alliance texted within this many days; NULL: no suppression
        ADD COLUMN suppress_texted_within_days smallint CHECK (suppress_texted_within_days BETWEEN 1 AND 365),
        ADD CONSTRAINT campaign_sending_numbers_check CHECK (array_position(sending_numbers, NULL) IS NULL)`);

    await queryRunner.query(`
      CREATE TABLE texting_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        texter_user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        requested_count integer NOT NULL CHECK (requested_count BETWEEN 1 AND 1000),
        assigned_count integer NOT NULL CHECK (assigned_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT texting_assignment_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX texting_assignment_texter_idx ON texting_assignment (texter_user_id, campaign_id, created_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        -- one conversation per call-list row: a contact is never handed to two texters
        campaign_contact_id bigint NOT NULL UNIQUE REFERENCES campaign_contact (id) ON DELETE CASCADE,
        voter_id bigint NOT NULL,
        voter_phone text NOT NULL CHECK (voter_phone ~ ${E164}),
        -- our number: chosen when assigned, or (Messaging Service) learned once the carrier picked one
        sending_number text CHECK (sending_number ~ ${E164}),
        messaging_service_sid text CHECK (messaging_service_sid ~ ${MESSAGING_SERVICE_SID}),
        texting_assignment_id uuid REFERENCES texting_assignment (id) ON DELETE SET NULL,
        texter_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        -- needs_message: initial not sent; messaged: waiting for the voter; needs_response: the voter wrote last
        status text NOT NULL DEFAULT 'needs_message' CHECK (status IN ('needs_message', 'messaged', 'needs_response', 'closed')),
        closed_reason text CHECK (closed_reason IN ('texter', 'opted_out', 'undeliverable', 'invalid_number', 'not_mobile', 'suppressed', 'window')),
        last_outbound_at timestamptz,
        last_inbound_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT conversation_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT conversation_sender_check CHECK (sending_number IS NOT NULL OR messaging_service_sid IS NOT NULL),
        CONSTRAINT conversation_closed_check CHECK ((status = 'closed') = (closed_reason IS NOT NULL))
      )`);
    // An inbound text is matched by (voter phone, our number): the conversation we last wrote from it.
    await queryRunner.query(`CREATE INDEX conversation_match_idx ON conversation (voter_phone, sending_number, last_outbound_at DESC NULLS LAST)`);
    await queryRunner.query(`CREATE INDEX conversation_texter_idx ON conversation (texter_user_id, campaign_id, status, updated_at)`);
    await queryRunner.query(`CREATE INDEX conversation_campaign_status_idx ON conversation (campaign_id, organization_id, status)`);

    await queryRunner.query(`
      CREATE TABLE message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- NULL only for an inbound text to a number no alliance uses
        alliance_id uuid REFERENCES alliance (id) ON DELETE CASCADE,
        campaign_id uuid,
        -- NULL for an inbound text no conversation matched: the alliance's admins see it
        organization_id uuid,
        conversation_id uuid REFERENCES conversation (id) ON DELETE CASCADE,
        direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
        kind text NOT NULL CHECK (kind IN ('initial', 'reply', 'help_reply', 'opt_out_reply', 'opt_in_reply', 'inbound')),
        -- what makes a repeat a repeat: a double click, a retried request, a redelivered webhook
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        voter_phone text NOT NULL CHECK (voter_phone ~ ${E164}),
        our_number text CHECK (our_number ~ ${E164}),
        messaging_service_sid text CHECK (messaging_service_sid ~ ${MESSAGING_SERVICE_SID}),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1600),
        -- the variant of the initial message chosen for the voter's values segment
        segment_key text,
        -- created: written, carrier not asked; held: waits for the voter's window; requesting: asked, answer not stored
        status text NOT NULL CHECK (status IN (
          'created', 'held', 'requesting', 'accepted', 'queued', 'sending', 'sent',
          'delivered', 'undelivered', 'failed', 'canceled', 'received')),
        provider text CHECK (provider IN ('twilio', 'carrier-sim')),
        provider_message_sid text UNIQUE CHECK (length(provider_message_sid) BETWEEN 1 AND 64),
        send_attempts smallint NOT NULL DEFAULT 0 CHECK (send_attempts >= 0),
        -- held and retried messages: not before this
        send_after timestamptz,
        validity_period_seconds integer CHECK (validity_period_seconds BETWEEN 1 AND 36000),
        error_code text,
        error_message text,
        sent_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        requested_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        final_at timestamptz,
        CONSTRAINT message_kind_matches_direction_check CHECK ((direction = 'inbound') = (kind = 'inbound')),
        CONSTRAINT message_outbound_check CHECK (direction = 'inbound' OR (alliance_id IS NOT NULL AND campaign_id IS NOT NULL
          AND organization_id IS NOT NULL AND conversation_id IS NOT NULL AND (our_number IS NOT NULL OR messaging_service_sid IS NOT NULL))),
        CONSTRAINT message_inbound_check CHECK (direction = 'outbound' OR (status = 'received' AND provider_message_sid IS NOT NULL))
      )`);
    // "One initial message per (campaign, phone)", even when two voters share the phone.
    await queryRunner.query(`CREATE UNIQUE INDEX message_initial_phone_idx ON message (campaign_id, voter_phone) WHERE kind = 'initial'`);
    await queryRunner.query(`CREATE INDEX message_conversation_idx ON message (conversation_id, created_at)`);
    await queryRunner.query(`CREATE INDEX message_pending_idx ON message (status, updated_at) WHERE status IN ('created', 'held', 'requesting')`);
    await queryRunner.query(`CREATE INDEX message_phone_idx ON message (alliance_id, voter_phone, created_at DESC)`);
    await queryRunner.query(
      `CREATE INDEX message_unmatched_idx ON message (alliance_id, created_at DESC) WHERE direction = 'inbound' AND conversation_id IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX message_campaign_idx ON message (campaign_id, direction, status)`);

    await queryRunner.query(`
      CREATE TABLE opt_out_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        channel text NOT NULL CHECK (channel IN ('phone', 'sms', 'all')),
        action text NOT NULL CHECK (action IN ('opt_out', 'opt_in')),
        -- keyword: the voter wrote STOP or START; carrier: the carrier refused (21610); admin: an audited reversal
        source text NOT NULL CHECK (source IN ('keyword', 'carrier', 'admin', 'texter')),
        message_id uuid REFERENCES message (id) ON DELETE SET NULL,
        actor_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        reason text CHECK (length(reason) BETWEEN 1 AND 500),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX opt_out_event_phone_idx ON opt_out_event (alliance_id, phone, created_at DESC)`);

    await queryRunner.query(`ALTER TABLE phone_status DROP CONSTRAINT phone_status_status_check`);
    await queryRunner.query(
      `ALTER TABLE phone_status ADD CONSTRAINT phone_status_status_check CHECK (status IN ('wrong_number', 'invalid_number', 'not_mobile', 'unreachable'))`,
    );

    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON texting_assignment, conversation, message TO crossroads_api`);
    await queryRunner.query(`GRANT SELECT, INSERT ON opt_out_event TO crossroads_api`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE opt_out_event_id_seq TO crossroads_api`);
    await queryRunner.query(`GRANT DELETE ON opt_out TO crossroads_api`);

    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    const ownOrganizations = `${alliance} AND organization_id = ANY ((SELECT crossroads_scope_organizations())::uuid[])`;
    for (const table of ['texting_assignment', 'conversation', 'message']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY ${table}_alliance_reader ON ${table} TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`);
      await queryRunner.query(
        `CREATE POLICY ${table}_organization_reader ON ${table} TO crossroads_organization_reader USING (${ownOrganizations}) WITH CHECK (${ownOrganizations})`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE DELETE ON opt_out FROM crossroads_api`);
    await queryRunner.query(`DELETE FROM phone_status WHERE status <> 'wrong_number'`);
    await queryRunner.query(`ALTER TABLE phone_status DROP CONSTRAINT phone_status_status_check`);
    await queryRunner.query(`ALTER TABLE phone_status ADD CONSTRAINT phone_status_status_check CHECK (status IN ('wrong_number'))`);
    await queryRunner.query(`DROP TABLE opt_out_event, message, conversation, texting_assignment`);
    await queryRunner.query(`
      ALTER TABLE campaign
        DROP CONSTRAINT campaign_sending_numbers_check,
        DROP COLUMN suppress_texted_within_days, DROP COLUMN canned_responses, DROP COLUMN initial_message,
        DROP COLUMN messaging_service_sid, DROP COLUMN sending_numbers`);
  }
}
