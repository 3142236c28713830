import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { createTestContext, type TestContext } from '@app/testing';
import { ComplianceEvidenceRepository } from './compliance-evidence.repository';

describe('ComplianceEvidenceRepository (real PostgreSQL)', () => {
  let context: TestContext;
  let sql: Client;
  let manager: EntityManager;
  let alliance: string;
  let organization: string;
  let campaign: string;
  let phones = 0;
  const repository = new ComplianceEvidenceRepository();

  interface CallFacts {
    readonly kind?: string;
    readonly lineType?: string;
    readonly consent?: boolean;
    readonly localMinute?: number | null;
    readonly answeredBy?: string;
    readonly bridged?: boolean;
    readonly abandoned?: boolean;
    /** Seconds it rang before it ended, unanswered. */
    readonly rangSeconds?: number;
    readonly endedByUs?: boolean;
    readonly status?: string;
    readonly daysAgo?: number;
  }

  const call = async (facts: CallFacts) => {
    phones += 1;
    const phone = `+1415558${String(phones).padStart(4, '0')}`;
    const [{ id: contact }] = (
      await sql.query<{ id: string }>(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, lease_id)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5::bigint], gen_random_uuid()) RETURNING id`,
        [alliance, campaign, organization, phone, phones],
      )
    ).rows;
    // The table refuses an automatic dial to a non-consented mobile; evidence from before that rule is simulated by lifting it for one insert.
    const refusedByTheSchema = facts.kind === 'automatic' && (facts.lineType ?? 'landline') !== 'landline' && !facts.consent;
    if (refusedByTheSchema) await sql.query(`ALTER TABLE call DROP CONSTRAINT call_automatic_line_check`);
    try {
      await sql.query(
        `INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider, status,
                           dial_kind, line_type, dial_consent, voter_local_minute, answered_by, answered_at, bridged_at, abandoned_at,
                           ringing_at, ended_at, hangup_requested_at, created_at)
         SELECT alliance_id, campaign_id, organization_id, id, lease_id, phone, '+14155550123', 'carrier-sim', $2,
                $3, $4, $5, $6::smallint, $7::text, CASE WHEN $7::text IS NOT NULL THEN now() END, CASE WHEN $8::boolean THEN now() END, CASE WHEN $9::boolean THEN now() END,
                CASE WHEN $10::int IS NOT NULL THEN now() - make_interval(secs => $10) END, CASE WHEN $10::int IS NOT NULL THEN now() END,
                CASE WHEN $11::boolean THEN now() END, now() - make_interval(days => $12)
           FROM campaign_contact WHERE id = $1`,
        [
          contact,
          facts.status ?? 'completed',
          facts.kind ?? 'automatic',
          facts.lineType ?? 'landline',
          facts.consent ?? false,
          facts.localMinute === undefined ? 900 : facts.localMinute,
          facts.answeredBy ?? null,
          facts.bridged ?? false,
          facts.abandoned ?? false,
          facts.rangSeconds ?? null,
          facts.endedByUs ?? false,
          facts.daysAgo ?? 0,
        ],
      );
    } finally {
      if (refusedByTheSchema) {
        await sql.query(
          `ALTER TABLE call ADD CONSTRAINT call_automatic_line_check CHECK (dial_kind <> 'automatic' OR line_type = 'landline' OR dial_consent) NOT VALID`,
        );
      }
    }
  };

  beforeAll(async () => {
    context = await createTestContext();
    sql = new Client({ connectionString: context.config.database.url! });
    await sql.connect();
    manager = { query: async (text: string, parameters?: unknown[]) => (await sql.query(text, parameters)).rows } as unknown as EntityManager;
    alliance = (await sql.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('evidence', 'Evidence') RETURNING id`)).rows[0].id;
    organization = (
      await sql.query<{ id: string }>(`INSERT INTO organization (alliance_id, kind, slug, name) VALUES ($1, 'anchor', 'o', 'O') RETURNING id`, [alliance])
    ).rows[0].id;
    campaign = (
      await sql.query<{ id: string }>(
        `INSERT INTO campaign (alliance_id, slug, name, status, dial_mode, identification_message) VALUES ($1, 'c', 'C', 'active', 'predictive', 'This was C at 415-555-0100') RETURNING id`,
        [alliance],
      )
    ).rows[0].id;
  });

  afterAll(async () => {
    await sql.end();
    await context.dispose();
  });

  it('should count a campaign’s live answers, abandoned calls and the three must-be-zero checks over its window', async () => {
    const window = async () => repository.evidenceOf(manager, campaign, new Date(Date.now() - 30 * 86_400_000), new Date(Date.now() + 60_000));
    expect(await window()).toMatchObject({
      liveAnswers: 0,
      abandoned: 0,
      abandonRate: null,
      dials: 0,
      wrongWindowDials: 0,
      shortRings: 0,
      automaticMobileDials: 0,
    });

    for (let person = 0; person < 9; person += 1) await call({ answeredBy: 'human', bridged: true });
    await call({ answeredBy: 'human', abandoned: true });
    await call({ answeredBy: 'machine_start' });
    await call({ status: 'no-answer', rangSeconds: 25 });
    // Outside the window (31 days ago): not counted.
    await call({ answeredBy: 'human', abandoned: true, daysAgo: 31 });
    expect(await window()).toMatchObject({
      liveAnswers: 10,
      abandoned: 1,
      abandonRate: 0.1,
      dials: 12,
      wrongWindowDials: 0,
      shortRings: 0,
      automaticMobileDials: 0,
    });

    // Each must-be-zero check, made to fire once.
    await call({ localMinute: 21 * 60 + 5 });
    await call({ localMinute: 7 * 60 + 59 });
    await call({ localMinute: null });
    await call({ status: 'canceled', rangSeconds: 9, endedByUs: true });
    // A busy line the carrier ended after 3 s is not a ring we cut short.
    await call({ status: 'busy', rangSeconds: 3 });
    await call({ kind: 'automatic', lineType: 'mobile' });
    await call({ kind: 'volunteer-initiated', lineType: 'mobile' });
    await call({ kind: 'automatic', lineType: 'mobile', consent: true });
    expect(await window()).toMatchObject({ dials: 20, wrongWindowDials: 2, unknownZoneDials: 1, shortRings: 1, automaticMobileDials: 1 });
  });
});
