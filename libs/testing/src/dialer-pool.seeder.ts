import type { DataSource } from 'typeorm';
import { IdentityFactory } from './identity.factory';

/** A power or predictive campaign's call list for one organization, as the dialer paces it. */
export interface SeededPool {
  readonly campaignId: string;
  readonly organizationId: string;
}

/**
 * Dialer test data written straight in SQL, as the pacer's own tests need it: an alliance with one
 * member organization and some users, active campaigns in a given mode, call-list rows of a line
 * type in New York, and calling sessions in a dialer state. Each seeder numbers its phones on its
 * own prefix, so two in one database never share a number.
 */
export class DialerPoolSeeder {
  private phones = 0;

  private constructor(
    private readonly sql: DataSource,
    readonly allianceId: string,
    readonly organizationId: string,
    readonly users: readonly string[],
    private readonly phonePrefix: string,
  ) {}

  /** `phonePrefix`: seven characters such as '+141555', completed by a four-digit counter. */
  static async seed(
    sql: DataSource,
    options: { readonly users: number; readonly emailPrefix: string; readonly phonePrefix: string },
  ): Promise<DialerPoolSeeder> {
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    const anchor = await identity.anchor(alliance.id);
    const organization = await identity.member(alliance.id, anchor.id);
    const users: string[] = [];
    for (let index = 0; index < options.users; index += 1) {
      const [{ id }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ($1, $1) RETURNING id`, [
        `${options.emailPrefix}-${index}@dialer.test`,
      ]);
      users.push(id);
    }
    return new DialerPoolSeeder(sql, alliance.id, organization.id, users, options.phonePrefix);
  }

  async campaign(slug: string, dialMode: 'preview' | 'power' | 'predictive', retryPolicy: object = {}): Promise<SeededPool> {
    const [{ id }] = await this.sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, caller_ids, identification_message, retry_policy)
       VALUES ($1, $2, $2, $3, 'active', $4, '{+14155550123}', 'This was a dialer test: 415-555-0100', $5) RETURNING id`,
      [this.allianceId, slug, this.organizationId, dialMode, JSON.stringify(retryPolicy)],
    );
    return { campaignId: id, organizationId: this.organizationId };
  }

  async contacts(pool: SeededPool, count: number, lineType = 'landline'): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      this.phones += 1;
      await this.sql.query(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, time_zone, voter_id, household_voter_ids)
         VALUES ($1, $2, $3, $4, $5, 'America/New_York', $6, ARRAY[$6::bigint])`,
        [this.allianceId, pool.campaignId, pool.organizationId, `${this.phonePrefix}${String(this.phones).padStart(4, '0')}`, lineType, this.phones],
      );
    }
  }

  /** A calling session of the user, in the dialer state given (null: signed in, not taking calls). */
  async session(pool: SeededPool, userId: string, dialerState: 'ready' | null = 'ready'): Promise<string> {
    const [{ id }] = await this.sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, dialer_state, dialer_state_since)
       VALUES ($1, $2, $3, $4, $5::text, CASE WHEN $5::text IS NULL THEN NULL ELSE now() END) RETURNING id`,
      [this.allianceId, pool.campaignId, pool.organizationId, userId, dialerState],
    );
    return id;
  }
}
