import type { MigrationInterface, QueryRunner } from 'typeorm';

const LIVE_CALL = `('created', 'requesting', 'queued', 'initiated', 'ringing', 'in-progress')`;

/**
 * Power and predictive dialing. A campaign gets its pacing settings and the messages the law asks
 * for (an identification message before a predictive campaign may run); a call-list row, whether
 * its mobile number may be dialed automatically (documented consent); a calling session, the
 * volunteer's dialer state and since when (what the pacer and "longest idle" read); a call, how it
 * was started (preview click, a ready volunteer, the pacer, a clicker's approval), the line type and
 * the voter's local minute when it was placed, and when it rang, was judged human or machine, was
 * bridged or abandoned: the compliance evidence is read from these columns. Clickers' approvals get
 * a table: one approval, one dial. The carrier's answer request (the voice URL with AnsweredBy) is
 * stored once like its status callbacks.
 */
export class CreateDialer1795400000013 implements MigrationInterface {
  name = 'CreateDialer1795400000013';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE campaign
        -- this campaign's share of the carrier account's calls per second (Twilio's default is 1)
        ADD COLUMN calls_per_second real NOT NULL DEFAULT 1 CHECK (calls_per_second > 0 AND calls_per_second <= 100),
        ADD COLUMN power_lines_per_volunteer smallint NOT NULL DEFAULT 1 CHECK (power_lines_per_volunteer BETWEEN 1 AND 4),
        ADD COLUMN max_lines_per_volunteer real NOT NULL DEFAULT 8 CHECK (max_lines_per_volunteer >= 1 AND max_lines_per_volunteer <= 20),
        -- where the abandonment controller aims; the law's cap is 3% of live answers over 30 days
        ADD COLUMN abandon_rate_target real NOT NULL DEFAULT 0.025 CHECK (abandon_rate_target > 0 AND abandon_rate_target < 0.03),
        -- played to a live person no volunteer could take within 2 s: the caller's name and a number to call back
        ADD COLUMN identification_message text CHECK (length(identification_message) BETWEEN 10 AND 500),
        -- left on answering machines; NULL hangs up on them
        ADD COLUMN voicemail_message text CHECK (length(voicemail_message) BETWEEN 10 AND 1000),
        ADD CONSTRAINT campaign_predictive_identification_check CHECK (dial_mode <> 'predictive' OR identification_message IS NOT NULL)`);

    // Documented consent to be dialed automatically: the only way a mobile or unknown-type number reaches predictive dialing.
    await queryRunner.query(`ALTER TABLE campaign_contact ADD COLUMN dial_consent boolean NOT NULL DEFAULT false`);

    await queryRunner.query(`
      ALTER TABLE calling_session
        -- power and predictive campaigns only; a paused session is paused whatever its dialer state
        ADD COLUMN dialer_state text CHECK (dialer_state IN ('ready', 'talking', 'wrap-up')),
        ADD COLUMN dialer_state_since timestamptz,
        ADD CONSTRAINT calling_session_dialer_since_check CHECK ((dialer_state IS NULL) = (dialer_state_since IS NULL))`);
    // Longest idle first: the answer request takes the first ready volunteer of the campaign and organization.
    await queryRunner.query(
      `CREATE INDEX calling_session_ready_idx ON calling_session (campaign_id, organization_id, dialer_state_since) WHERE status = 'active' AND dialer_state = 'ready'`,
    );

    await queryRunner.query(`
      ALTER TABLE call
        ADD COLUMN organization_id uuid,
        -- preview: a volunteer clicked call; volunteer-initiated: a ready volunteer in power mode;
        -- automatic: the pacer (landlines and consented numbers only); approved: a clicker approved this dial
        ADD COLUMN dial_kind text NOT NULL DEFAULT 'preview' CHECK (dial_kind IN ('preview', 'volunteer-initiated', 'automatic', 'approved')),
        ADD COLUMN line_type text,
        ADD COLUMN dial_consent boolean NOT NULL DEFAULT false,
        -- minutes after midnight in the voter's zone when the call was placed (NULL zone: the latest of all US zones)
        ADD COLUMN voter_local_minute smallint CHECK (voter_local_minute BETWEEN 0 AND 1439),
        ADD COLUMN ringing_at timestamptz,
        -- when answering-machine detection gave its verdict (answered_by); a human's greeting ended about 1.2 s before
        ADD COLUMN verdict_at timestamptz,
        ADD COLUMN bridged_at timestamptz,
        ADD COLUMN abandoned_at timestamptz,
        ADD CONSTRAINT call_bridged_or_abandoned_check CHECK (bridged_at IS NULL OR abandoned_at IS NULL),
        -- compliant by construction: the pacer may start a call by itself only to a landline or a consented number
        ADD CONSTRAINT call_automatic_line_check CHECK (dial_kind <> 'automatic' OR line_type = 'landline' OR dial_consent)`);
    await queryRunner.query(`UPDATE call c SET organization_id = cc.organization_id FROM campaign_contact cc WHERE cc.id = c.campaign_contact_id`);
    await queryRunner.query(`ALTER TABLE call ALTER COLUMN organization_id SET NOT NULL`);
    // The pacer's lines: a campaign and organization's live calls that no volunteer has yet.
    await queryRunner.query(
      `CREATE INDEX call_unbridged_idx ON call (campaign_id, organization_id) WHERE calling_session_id IS NULL AND status IN ${LIVE_CALL}`,
    );
    // Compliance evidence and the 30-day abandonment record, per campaign over time.
    await queryRunner.query(`CREATE INDEX call_campaign_created_idx ON call (campaign_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE dial_approval (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        campaign_contact_id bigint NOT NULL REFERENCES campaign_contact (id) ON DELETE CASCADE,
        approved_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        approved_at timestamptz NOT NULL DEFAULT now(),
        -- an approval is for one dial, soon: a stale one is not acted on
        expires_at timestamptz NOT NULL,
        -- set when the dial it approved is placed: one approval, one call
        call_id uuid UNIQUE REFERENCES call (id) ON DELETE SET NULL,
        used_at timestamptz,
        CONSTRAINT dial_approval_campaign_fk FOREIGN KEY (alliance_id, campaign_id) REFERENCES campaign (alliance_id, id) ON DELETE CASCADE,
        -- the call may be deleted later (SET NULL); an approval with a call is always used
        CONSTRAINT dial_approval_used_check CHECK (call_id IS NULL OR used_at IS NOT NULL)
      )`);
    // One open approval per call-list row: a second click on the same voter is the same approval.
    await queryRunner.query(`CREATE UNIQUE INDEX dial_approval_open_idx ON dial_approval (campaign_contact_id) WHERE used_at IS NULL`);
    await queryRunner.query(`CREATE INDEX dial_approval_waiting_idx ON dial_approval (campaign_id, organization_id, approved_at) WHERE used_at IS NULL`);
    // Clickers are organization members: row security keeps each to their own organization's call list, as for campaign_contact.
    const alliance = `alliance_id = (SELECT crossroads_scope_alliance())`;
    const ownOrganizations = `${alliance} AND organization_id = ANY ((SELECT crossroads_scope_organizations())::uuid[])`;
    await queryRunner.query(`ALTER TABLE dial_approval ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY dial_approval_alliance_reader ON dial_approval TO crossroads_alliance_reader USING (${alliance}) WITH CHECK (${alliance})`,
    );
    await queryRunner.query(
      `CREATE POLICY dial_approval_organization_reader ON dial_approval TO crossroads_organization_reader USING (${ownOrganizations}) WITH CHECK (${ownOrganizations})`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON dial_approval TO crossroads_api`);

    // The carrier's request for the voice leg's instructions at answer (AnsweredBy), stored once per call.
    await queryRunner.query(`ALTER TABLE provider_event DROP CONSTRAINT provider_event_kind_check`);
    await queryRunner.query(
      `ALTER TABLE provider_event ADD CONSTRAINT provider_event_kind_check CHECK (kind IN ('call_status', 'call_answer', 'message_status', 'inbound_message'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM provider_event WHERE kind = 'call_answer'`);
    await queryRunner.query(`ALTER TABLE provider_event DROP CONSTRAINT provider_event_kind_check`);
    await queryRunner.query(
      `ALTER TABLE provider_event ADD CONSTRAINT provider_event_kind_check CHECK (kind IN ('call_status', 'message_status', 'inbound_message'))`,
    );
    await queryRunner.query(`DROP TABLE dial_approval`);
    await queryRunner.query(`DROP INDEX call_campaign_created_idx`);
    await queryRunner.query(`DROP INDEX call_unbridged_idx`);
    await queryRunner.query(`
      ALTER TABLE call
        DROP CONSTRAINT call_automatic_line_check,
        DROP CONSTRAINT call_bridged_or_abandoned_check,
        DROP COLUMN abandoned_at, DROP COLUMN bridged_at, DROP COLUMN verdict_at, DROP COLUMN ringing_at,
        DROP COLUMN voter_local_minute, DROP COLUMN dial_consent, DROP COLUMN line_type, DROP COLUMN dial_kind, DROP COLUMN organization_id`);
    await queryRunner.query(`DROP INDEX calling_session_ready_idx`);
    await queryRunner.query(`
      ALTER TABLE calling_session DROP CONSTRAINT calling_session_dialer_since_check, DROP COLUMN dialer_state_since, DROP COLUMN dialer_state`);
    await queryRunner.query(`ALTER TABLE campaign_contact DROP COLUMN dial_consent`);
    await queryRunner.query(`
      ALTER TABLE campaign
        DROP CONSTRAINT campaign_predictive_identification_check,
        DROP COLUMN voicemail_message, DROP COLUMN identification_message, DROP COLUMN abandon_rate_target,
        DROP COLUMN max_lines_per_volunteer, DROP COLUMN power_lines_per_volunteer, DROP COLUMN calls_per_second`);
  }
}
