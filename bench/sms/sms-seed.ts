import type { Client } from 'pg';
import { createBenchOrganizations } from '../shared/bench-setup.util';

/** The initial text every voter gets: one template, as a campaign without segment variants sends it. */
export const INITIAL_TEXT =
  'Hi, this is a volunteer with the Bench Alliance. Can we count on your vote for the school measure on Tuesday? Reply STOP to opt out.';

export interface SeededCampaign {
  readonly allianceId: string;
  readonly memberId: string;
  readonly campaignId: string;
  /** Message ids in the order their conversations were written: the sending numbers take turns. */
  readonly messageIds: readonly string[];
}

/**
 * `count` sending numbers: +1 919 555 01xx, the range the e2e tests use (fictional, and never a voter's here).
 */
export function sendingNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `+1919555${String(100 + index).padStart(4, '0')}`);
}

/**
 * An alliance, an anchor and a member organization, an active sms campaign with the sending
 * numbers (window 08:00–21:00, the widest the law allows), and `messages` voters' phones on its
 * call list, all in `timeZone`, each with a conversation (the sending numbers in turn) and its
 * initial text written `created`, all in bulk: the api writes a text one row at a time, which is not
 * what is measured here. Phones are synthetic and distinct (+1 919 2xx xxxx); no voter file is
 * imported (the call list and conversations hold no foreign key to `voter`).
 */
export async function seedTextCampaign(
  owner: Client,
  options: { readonly messages: number; readonly senders: readonly string[]; readonly timeZone: string },
): Promise<SeededCampaign> {
  const [{ id: allianceId }] = (await owner.query<{ id: string }>(`INSERT INTO alliance (slug, name) VALUES ('bench-sms', 'Bench SMS') RETURNING id`)).rows;
  const { memberId } = await createBenchOrganizations(owner, allianceId);
  const [{ id: campaignId }] = (
    await owner.query<{ id: string }>(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, channel, sending_numbers, calling_window_start, calling_window_end, initial_message)
       VALUES ($1, 'bench-texts', 'Bench texts', $2, 'active', 'sms', $3, '08:00', '21:00', jsonb_build_object('template', $4::text, 'variants', '[]'::jsonb))
       RETURNING id`,
      [allianceId, memberId, options.senders, INITIAL_TEXT],
    )
  ).rows;
  await owner.query(
    `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, time_zone)
     SELECT $1, $2, $3, '+1919' || (2000000 + n)::text, n, ARRAY[n::bigint], $4 FROM generate_series(1, $5::int) AS n`,
    [allianceId, campaignId, memberId, options.timeZone, options.messages],
  );
  // Conversations as texters' assignments leave them once the initial text is written: `messaged`, from one number.
  await owner.query(
    `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status, last_outbound_at)
     SELECT alliance_id, campaign_id, organization_id, id, voter_id, phone, ($2::text[])[1 + ((row_number() OVER (ORDER BY id) - 1) % $3)::int], 'messaged', now()
       FROM campaign_contact WHERE campaign_id = $1`,
    [campaignId, options.senders, options.senders.length],
  );
  const inserted = await owner.query<{ id: string }>(
    `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status)
     SELECT alliance_id, campaign_id, organization_id, id, 'outbound', 'initial', 'initial:' || id, voter_phone, sending_number, $2, 'created'
       FROM conversation WHERE campaign_id = $1 ORDER BY campaign_contact_id
     RETURNING id`,
    [campaignId, INITIAL_TEXT],
  );
  await owner.query('VACUUM (ANALYZE) campaign_contact, conversation, message');
  return { allianceId, memberId, campaignId, messageIds: inserted.rows.map((row) => row.id) };
}
