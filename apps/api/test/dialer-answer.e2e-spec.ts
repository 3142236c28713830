import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { IdentityFactory, type TestContext } from '@app/testing';
import { type PhoneBankStack, startPhoneBankStack } from '../../../test/phone-bank-stack.util';

/**
 * The voice URL of a power or predictive call, as the carrier asks it once detection has judged who
 * answered: signed, answered with TwiML at once, the same for a repeated request, and the volunteer
 * it claims is the pool's longest-idle ready one.
 */
describe('dialer answer request (api, real PostgreSQL and Redis)', () => {
  let stack: PhoneBankStack;
  let context: TestContext;
  let sql: DataSource;
  let allianceId: string;
  let organizationId: string;
  let campaignId: string;
  let users: string[];
  let phones = 0;

  beforeAll(async () => {
    stack = await startPhoneBankStack();
    ({ context, sql } = stack);
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    const anchor = await identity.anchor(allianceId);
    organizationId = (await identity.member(allianceId, anchor.id)).id;
    [{ id: campaignId }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, status, dial_mode, caller_ids, identification_message, voicemail_message)
       VALUES ($1, 'answer', 'Answer', $2, 'active', 'predictive', '{+14155550123}', 'This was the Answer campaign, call 415-555-0100', 'Sorry we missed you, call 415-555-0100')
       RETURNING id`,
      [allianceId, organizationId],
    );
    users = [];
    for (let index = 0; index < 3; index += 1) {
      const [{ id }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ($1, $1) RETURNING id`, [`answer-${index}@dialer.test`]);
      users.push(id);
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  const dialerCall = async (): Promise<{ callId: string; leaseId: string }> => {
    phones += 1;
    const [row] = await sql.query(
      `WITH contact AS (
         INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, line_type, voter_id, household_voter_ids, lease_id, leased_until)
         VALUES ($1, $2, $3, $4, 'landline', $5, ARRAY[$5::bigint], gen_random_uuid(), now() + interval '5 minutes') RETURNING *)
       INSERT INTO call (alliance_id, campaign_id, organization_id, campaign_contact_id, lease_id, to_phone, from_phone, provider, dial_kind, line_type, status, ringing_at, provider_call_sid)
       SELECT alliance_id, campaign_id, organization_id, id, lease_id, phone, '+14155550123', 'carrier-sim', 'automatic', 'landline', 'in-progress', now() - interval '12 seconds',
              'CA' || md5(phone)
         FROM contact RETURNING id AS "callId", lease_id AS "leaseId"`,
      [allianceId, campaignId, organizationId, `+1415557${String(phones).padStart(4, '0')}`, 9000 + phones],
    );
    return row;
  };
  const ready = async (user: string, secondsAgo: number): Promise<string> => {
    const [{ id }] = await sql.query(
      `INSERT INTO calling_session (alliance_id, campaign_id, organization_id, user_id, dialer_state, dialer_state_since)
       VALUES ($1, $2, $3, $4, 'ready', now() - make_interval(secs => $5)) RETURNING id`,
      [allianceId, campaignId, organizationId, user, secondsAgo],
    );
    return id;
  };
  const ask = async (callId: string, answeredBy: string, signed = true) => {
    const url = `${stack.baseUrl}/api/webhooks/twilio/calls/${callId}/answer`;
    const params = { CallSid: `CA${'0'.repeat(32)}`, CallStatus: 'in-progress', AnsweredBy: answeredBy, AccountSid: context.config.telephony.accountSid };
    const signature = twilio.getExpectedTwilioSignature(context.config.carrierSimulator.authToken, url, params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signed ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  };

  it('should bridge a person to the longest-idle ready volunteer, hand them the lease, and answer a repeat the same way', async () => {
    const newer = await ready(users[0], 5);
    const longestIdle = await ready(users[1], 40);
    const { callId, leaseId } = await dialerCall();

    const first = await ask(callId, 'human');
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/text\/xml/);
    expect(first.body).toContain(`<Conference`);
    expect(first.body).toContain(`session-${longestIdle}`);
    const [call] = await sql.query(
      `SELECT calling_session_id AS "sessionId", answered_by AS "answeredBy", bridged_at IS NOT NULL AS bridged, abandoned_at IS NOT NULL AS abandoned FROM call WHERE id = $1`,
      [callId],
    );
    expect(call).toEqual({ sessionId: longestIdle, answeredBy: 'human', bridged: true, abandoned: false });
    const sessions = await sql.query(`SELECT id, dialer_state AS state FROM calling_session WHERE id = ANY ($1) ORDER BY id`, [[newer, longestIdle]]);
    expect(Object.fromEntries(sessions.map((row: { id: string; state: string }) => [row.id, row.state]))).toEqual({
      [newer]: 'ready',
      [longestIdle]: 'talking',
    });
    expect((await sql.query(`SELECT leased_session_id AS "sessionId" FROM campaign_contact WHERE lease_id = $1`, [leaseId]))[0].sessionId).toBe(longestIdle);

    // The carrier retries: the same TwiML, and the other volunteer stays ready.
    const repeat = await ask(callId, 'human');
    expect(repeat.body).toBe(first.body);
    expect((await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [newer]))[0].state).toBe('ready');
    // The request is kept with the call's events, once however often the carrier asks.
    expect(await sql.query(`SELECT kind, status, payload->>'AnsweredBy' AS verdict FROM provider_event WHERE subject_id = $1`, [callId])).toEqual([
      { kind: 'call_answer', status: 'human', verdict: 'human' },
    ]);
  });

  it('should play the identification message and count the call abandoned when nobody is ready, and handle machines', async () => {
    await sql.query(`UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() WHERE campaign_id = $1`, [campaignId]);
    const person = await dialerCall();
    const abandoned = await ask(person.callId, 'human');
    expect(abandoned.status).toBe(200);
    expect(abandoned.body).toContain('This was the Answer campaign, call 415-555-0100</Say><Hangup/>');
    const [call] = await sql.query(
      `SELECT abandoned_at IS NOT NULL AS abandoned, bridged_at IS NULL AS unbridged, answered_by AS "answeredBy" FROM call WHERE id = $1`,
      [person.callId],
    );
    expect(call).toEqual({ abandoned: true, unbridged: true, answeredBy: 'human' });

    const machine = await dialerCall();
    expect((await ask(machine.callId, 'machine_end_beep')).body).toContain('Sorry we missed you, call 415-555-0100</Say><Hangup/>');
    expect((await sql.query(`SELECT abandoned_at IS NULL AS counted FROM call WHERE id = $1`, [machine.callId]))[0].counted).toBe(true);
    // An undecided verdict is treated as a person: with nobody ready it is abandoned, never silently dropped.
    const unknown = await dialerCall();
    expect((await ask(unknown.callId, 'unknown')).body).toContain('</Say><Hangup/>');
  });

  it('should wait for a ready volunteer whose own console holds their row for a moment, rather than abandon the voter', async () => {
    await sql.query(`UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() WHERE campaign_id = $1`, [campaignId]);
    const [{ id: user }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ('answer-held@dialer.test', 'Held') RETURNING id`);
    const volunteer = await ready(user, 3);
    const { callId } = await dialerCall();
    // The volunteer's console writes its heartbeat (or a click on "stop") just as the voter answers.
    const console = sql.createQueryRunner();
    await console.connect();
    try {
      await console.startTransaction();
      await console.query(`UPDATE calling_session SET dialer_seen_at = now() WHERE id = $1`, [volunteer]);
      const answering = ask(callId, 'human');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await sql.query(`SELECT verdict_at IS NULL AS undecided FROM call WHERE id = $1`, [callId]))[0].undecided).toBe(true);
      await console.commitTransaction();
      expect((await answering).body).toContain(`session-${volunteer}`);
    } finally {
      if (console.isTransactionActive) await console.rollbackTransaction();
      await console.release();
    }
    const [call] = await sql.query(`SELECT calling_session_id AS "sessionId", abandoned_at IS NULL AS kept FROM call WHERE id = $1`, [callId]);
    expect(call).toEqual({ sessionId: volunteer, kept: true });
  });

  it('should not keep the voter on hold for a volunteer whose row stays locked: abandoned after a moment, as with nobody ready', async () => {
    await sql.query(`UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() WHERE campaign_id = $1`, [campaignId]);
    const [{ id: user }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ('answer-stuck@dialer.test', 'Stuck') RETURNING id`);
    const volunteer = await ready(user, 2);
    const { callId } = await dialerCall();
    const holder = sql.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`UPDATE calling_session SET dialer_seen_at = now() WHERE id = $1`, [volunteer]);
      // Answered while the row is still held: the claim gave up waiting rather than the request hanging.
      expect((await ask(callId, 'human')).body).toContain('This was the Answer campaign, call 415-555-0100</Say><Hangup/>');
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await sql.query(`SELECT abandoned_at IS NOT NULL AS abandoned FROM call WHERE id = $1`, [callId]))[0].abandoned).toBe(true);
    expect((await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [volunteer]))[0].state).toBe('ready');
  });

  it('should claim no volunteer for a line the carrier already ended: a late answer request leaves them ready', async () => {
    await sql.query(`UPDATE calling_session SET dialer_state = 'talking', dialer_state_since = now() WHERE campaign_id = $1`, [campaignId]);
    const [{ id: user }] = await sql.query(`INSERT INTO app_user (email, display_name) VALUES ('answer-late@dialer.test', 'Late') RETURNING id`);
    const volunteer = await ready(user, 4);
    const { callId } = await dialerCall();
    // The voter hung up while the answer request was on its way: the carrier's end of the call was applied first.
    await sql.query(`UPDATE call SET status = 'completed', ended_at = now(), duration_seconds = 14 WHERE id = $1`, [callId]);

    expect((await ask(callId, 'human')).status).toBe(200);
    expect((await sql.query(`SELECT dialer_state AS state FROM calling_session WHERE id = $1`, [volunteer]))[0].state).toBe('ready');
    const [call] = await sql.query(
      `SELECT calling_session_id AS "sessionId", bridged_at IS NULL AS unbridged, abandoned_at IS NOT NULL AS abandoned FROM call WHERE id = $1`,
      [callId],
    );
    // A person answered and nobody took them: counted abandoned, as the compliance record must.
    expect(call).toEqual({ sessionId: null, unbridged: true, abandoned: true });
  });

  it('should refuse an unsigned request and change nothing', async () => {
    await ready(users[2], 1);
    const { callId } = await dialerCall();
    expect((await ask(callId, 'human', false)).status).toBe(403);
    expect((await sql.query(`SELECT verdict_at IS NULL AS undecided FROM call WHERE id = $1`, [callId]))[0].undecided).toBe(true);
    expect(await sql.query(`SELECT 1 FROM provider_event WHERE subject_id = $1`, [callId])).toEqual([]);
  });
});
