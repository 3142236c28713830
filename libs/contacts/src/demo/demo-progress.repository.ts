import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The spring campaign's history, written set-based: the demo's three weeks of calls in a few statements. */
@Injectable()
export class DemoProgressRepository {
  /** The finished campaign's id, or null when this is the first run (then it is created). */
  async createCampaign(manager: EntityManager, allianceId: string, campaign: { slug: string; name: string; surveyQuestions: unknown }): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO campaign (alliance_id, slug, name, status, channel, survey_questions)
       VALUES ($1, $2, $3, 'finished', 'phone', $4) ON CONFLICT DO NOTHING RETURNING id::text`,
      [allianceId, campaign.slug, campaign.name, JSON.stringify(campaign.surveyQuestions)],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * One call to a quarter of each member's turf (voters with a phone), spread over the last
   * `days` days; about a third answered, and most of those said how open to reform they are.
   * Deterministic: the voter's id decides day, hour, disposition and answer.
   */
  async writeHistory(manager: EntityManager, allianceId: string, campaignId: string, turfCampaignId: string, days: number): Promise<number> {
    await manager.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, status, closed_reason)
       SELECT DISTINCT ON (v.phones->0->>'e164') $1::uuid, $2::uuid, t.organization_id, v.phones->0->>'e164', v.id, ARRAY[v.id], 'done', 'campaign_finished'
         FROM turf_assignment_voter t JOIN voter v ON v.alliance_id = t.alliance_id AND v.id = t.voter_id
        WHERE t.campaign_id = $3 AND t.alliance_id = $1 AND v.has_phone AND v.id % 4 = 0
        ORDER BY v.phones->0->>'e164', v.id
       ON CONFLICT DO NOTHING`,
      [allianceId, campaignId, turfCampaignId],
    );
    await manager.query(
      `WITH drawn AS (
         SELECT c.*, abs(hashtext(c.voter_id::text)) AS h FROM campaign_contact c WHERE c.campaign_id = $1),
       written AS (
         INSERT INTO contact_attempt (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, phone, channel, lease_id, disposition,
                                      script_version, started_at, created_at)
         SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, 'phone', gen_random_uuid(),
                CASE WHEN h % 100 < 34 THEN 'contacted' WHEN h % 100 < 58 THEN 'not_home' WHEN h % 100 < 74 THEN 'voicemail'
                     WHEN h % 100 < 84 THEN 'busy' WHEN h % 100 < 91 THEN 'refused' WHEN h % 100 < 96 THEN 'wrong_number' ELSE 'do_not_call' END,
                1, at, at
           FROM (SELECT d.*, now() - make_interval(days => (1 + (d.h / 100) % $2)::int, hours => ((d.h / 7) % 9)::int) AS at FROM drawn d) timed
         RETURNING id, voter_id, disposition, alliance_id, campaign_id, organization_id)
       INSERT INTO survey_response (alliance_id, campaign_id, organization_id, contact_attempt_id, voter_id, question_key, answer)
       SELECT alliance_id, campaign_id, organization_id, id, voter_id, 'open_to_reform', (1 + abs(hashtext(voter_id::text || 'answer')) % 5)::text
         FROM written WHERE disposition = 'contacted' AND abs(hashtext(voter_id::text || 'asked')) % 10 < 8
       RETURNING contact_attempt_id`,
      [campaignId, days],
    );
    return this.attemptsOf(manager, campaignId);
  }

  async attemptsOf(manager: EntityManager, campaignId: string): Promise<number> {
    const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM contact_attempt WHERE campaign_id = $1`, [campaignId]);
    return count;
  }
}
