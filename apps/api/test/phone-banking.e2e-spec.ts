import type { INestApplication } from '@nestjs/common';
import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { MembershipRole } from '@app/identity';
import { createOwnerApplication, IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs, type TestContext, waitUntil } from '@app/testing';
import type { CarrierSimulator } from '../../carrier-sim/src';
import { assignEveryVoterAsTurf, NOON_EASTERN, type PhoneBankStack, startPhoneBankStack } from '../../../test/phone-bank-stack.util';

/**
 * Preview calling end to end: the api (HTTP and WebSocket), the dialer worker's jobs and the
 * carrier simulator, reached through the real twilio SDK and answering with signed callbacks.
 */
describe('phone banking: sessions, calls through the carrier simulator, dispositions', () => {
  let context: TestContext;
  let api: INestApplication;
  let simulator: CarrierSimulator;
  let sql: DataSource;
  let apiUrl: string;
  let lead: SignedInAgent;
  let volunteer: SignedInAgent;
  let campaignId: string;
  let authToken: string;
  let stack: PhoneBankStack;

  beforeAll(async () => {
    stack = await startPhoneBankStack();
    ({ context, api, simulator, sql, baseUrl: apiUrl } = stack);
    authToken = context.config.carrierSimulator.authToken;
    const identity = new IdentityFactory(sql);
    const alliance = await identity.alliance();
    const anchor = await identity.anchor(alliance.id);
    const member = await identity.member(alliance.id, anchor.id);
    const owner = await createOwnerApplication(context);
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 400, seed: 17 });
    await owner.close();
    lead = await signInAs(api.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.OrgLead }]);
    volunteer = await signInAs(api.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.Volunteer }]);

    const created = await post(lead, '/api/campaigns')
      .send({ slug: 'fall', name: 'Fall calls', callerIds: ['+14155550123'], callingWindow: { start: '09:00', end: '20:30' } })
      .expect(201);
    campaignId = created.body.id;
    expect(created.body).toMatchObject({ organizationId: member.id, status: 'draft', dialMode: 'preview' });
    await post(lead, `/api/campaigns/${campaignId}/script`, 'put').send({ script: DEFAULT_CALL_SCRIPT, surveyQuestions: DEFAULT_SURVEY_QUESTIONS }).expect(200);
    await assignEveryVoterAsTurf(sql, { allianceId: alliance.id, anchorId: anchor.id, memberId: member.id, campaignId });
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
  });

  function post(agent: SignedInAgent, path: string, method: 'post' | 'put' | 'patch' = 'post') {
    return agent.agent[method](path).set('X-CSRF-Token', agent.csrfToken);
  }

  it('should refuse to activate a campaign without caller ids, naming what is missing, and change nothing', async () => {
    const draft = await post(lead, '/api/campaigns').send({ slug: 'bare', name: 'Bare' }).expect(201);
    const refused = await post(lead, `/api/campaigns/${draft.body.id}/status`).send({ status: 'active' }).expect(400);
    expect(refused.body.message).toMatch(/caller id/);
    expect(refused.body.message).toMatch(/script/);
    expect((await lead.agent.get(`/api/campaigns/${draft.body.id}`).expect(200)).body.status).toBe('draft');
    const badWindow = await post(lead, `/api/campaigns/${draft.body.id}`, 'patch')
      .send({ callingWindow: { start: '07:30' } })
      .expect(400);
    expect(badWindow.body.message).toMatch(/callingWindow.start.*08:00/);
  });

  it('should activate the campaign and list each phone once, households sharing a phone together', async () => {
    await post(lead, `/api/campaigns/${campaignId}/status`).send({ status: 'active' }).expect(200);
    const counts = (await lead.agent.get(`/api/campaigns/${campaignId}/call-list`).expect(200)).body;
    const [{ phones }] = await sql.query(
      `SELECT count(DISTINCT phones -> 0 ->> 'e164')::int AS phones FROM voter v JOIN turf_assignment_voter t ON t.voter_id = v.id WHERE t.campaign_id = $1 AND v.has_phone`,
      [campaignId],
    );
    expect(counts).toMatchObject({ total: phones, open: phones, done: 0 });
    expect(phones).toBeGreaterThan(100);
    // A refresh adds nothing the second time.
    expect((await post(lead, `/api/campaigns/${campaignId}/call-list/refresh`).expect(200)).body).toMatchObject({ added: 0, total: phones });
  });

  it('should work a call end to end: card, call through the simulator, live state over the WebSocket, hang-up, disposition saved once', async () => {
    const session = (await post(volunteer, '/api/calling-sessions').send({ campaignId }).expect(201)).body;
    const next = (await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body;
    expect(next.kind).toBe('card');
    const card = next.card;
    expect(card.voter.firstName).toEqual(expect.any(String));
    expect(card.script.startStepId).toBe(DEFAULT_CALL_SCRIPT.startStepId);
    expect(card.script.steps[0].text).not.toContain('{voter.first_name');
    expect(card.dispositions.map((each: { value: string }) => each.value)).toContain('do_not_call');
    expect(JSON.stringify(card)).not.toMatch(/\+1\d{10}/);
    // Asking again before a disposition returns the same voter.
    expect((await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body.card.leaseId).toBe(card.leaseId);

    const socket = new WebSocket(`${apiUrl.replace('http', 'ws')}/api/realtime`, { headers: { cookie: volunteer.cookie } });
    const heard: Array<{ event: string; status?: string }> = [];
    socket.on('message', (data) => heard.push(JSON.parse(String(data))));
    await waitUntil(async () => (heard.some((each) => each.event === 'ready') ? true : undefined), 'the socket to be ready');
    socket.send(JSON.stringify({ event: 'watch', sessionId: session.id }));
    await waitUntil(async () => (heard.some((each) => each.event === 'watching') ? true : undefined), 'the socket to watch');

    const [first, second] = await Promise.all([
      post(volunteer, `/api/calling-sessions/${session.id}/calls`).send({ leaseId: card.leaseId }).expect(201),
      post(volunteer, `/api/calling-sessions/${session.id}/calls`).send({ leaseId: card.leaseId }).expect(201),
    ]);
    expect(second.body.id).toBe(first.body.id);
    const callId = first.body.id;
    await waitUntil(async () => {
      const call = (await volunteer.agent.get(`/api/calling-sessions/${session.id}/calls/${callId}`).expect(200)).body;
      return call.status === 'in-progress' ? call : undefined;
    }, 'the voter to answer');
    await waitUntil(
      async () => (heard.some((each) => each.event === 'call' && each.status === 'in-progress') ? true : undefined),
      'the socket to hear the answer',
    );
    await post(volunteer, `/api/calling-sessions/${session.id}/calls/${callId}/hangup`).expect(200);
    const ended = await waitUntil(async () => {
      const call = (await volunteer.agent.get(`/api/calling-sessions/${session.id}/calls/${callId}`).expect(200)).body;
      return call.status === 'completed' ? call : undefined;
    }, 'the call to complete');
    expect(ended.answeredBy).toBe('human');
    expect(simulator.calls()).toHaveLength(1);
    socket.close();

    const body = {
      leaseId: card.leaseId,
      disposition: 'contacted',
      answers: [
        { questionKey: DEFAULT_SURVEY_QUESTIONS[0].key, answer: DEFAULT_SURVEY_QUESTIONS[0].choices[3].value },
        { questionKey: DEFAULT_SURVEY_QUESTIONS[1].key, answer: DEFAULT_SURVEY_QUESTIONS[1].choices[0].value },
      ],
    };
    const [saved, again] = await Promise.all([
      post(volunteer, `/api/calling-sessions/${session.id}/dispositions`).send(body).expect(200),
      post(volunteer, `/api/calling-sessions/${session.id}/dispositions`).send(body).expect(200),
    ]);
    expect(again.body.id).toBe(saved.body.id);
    expect([saved.body.repeated, again.body.repeated].sort()).toEqual([false, true]);
    const attempts = await sql.query(`SELECT disposition, outcome, call_id AS "callId", voter_id::text AS "voterId" FROM contact_attempt WHERE lease_id = $1`, [
      card.leaseId,
    ]);
    expect(attempts).toEqual([{ disposition: 'contacted', outcome: 'human', callId, voterId: card.voter.id }]);
    const responses = await sql.query(`SELECT question_key AS "questionKey", answer FROM survey_response ORDER BY question_key`);
    expect(responses).toEqual(expect.arrayContaining(body.answers.map((answer) => expect.objectContaining(answer))));
    expect(responses).toHaveLength(2);
    // The values question is evidence for the voter's segment, recorded once.
    const evidence = await sql.query(`SELECT source, question_key AS "questionKey" FROM segment_evidence WHERE voter_id = $1`, [card.voter.id]);
    expect(evidence).toEqual([{ source: 'phone', questionKey: (DEFAULT_SURVEY_QUESTIONS[1] as { valuesQuestionKey: string }).valuesQuestionKey }]);
    const [contact] = await sql.query(
      `SELECT status, closed_reason AS "closedReason", attempts FROM campaign_contact WHERE voter_id = $1 AND campaign_id = $2`,
      [card.voter.id, campaignId],
    );
    expect(contact).toEqual({ status: 'done', closedReason: 'contacted', attempts: 1 });
    const stats = (await volunteer.agent.get(`/api/calling-sessions/${session.id}`).expect(200)).body.stats;
    expect(stats).toMatchObject({ calls: 1, attempts: 1, conversations: 1 });
  });

  it('should put do-not-call numbers on the list, mark wrong numbers, schedule call-backs, and never hand those voters out again', async () => {
    const session = (await post(volunteer, '/api/calling-sessions').send({ campaignId }).expect(201)).body;
    const handedOut: string[] = [];
    const dispose = async (disposition: string, extra: Record<string, unknown> = {}) => {
      const card = (await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body.card;
      handedOut.push(card.leaseId);
      await post(volunteer, `/api/calling-sessions/${session.id}/dispositions`)
        .send({ leaseId: card.leaseId, disposition, ...extra })
        .expect(200);
      const [contact] = await sql.query(
        `SELECT phone, status, closed_reason AS "closedReason", next_attempt_at AS "nextAttemptAt" FROM campaign_contact WHERE voter_id = $1`,
        [card.voter.id],
      );
      return contact as { phone: string; status: string; closedReason: string | null; nextAttemptAt: Date };
    };
    const doNotCall = await dispose('do_not_call');
    expect(doNotCall).toMatchObject({ status: 'done', closedReason: 'do_not_call' });
    expect(await sql.query(`SELECT source FROM do_not_call WHERE phone = $1`, [doNotCall.phone])).toEqual([{ source: 'disposition' }]);
    const wrong = await dispose('wrong_number');
    expect(await sql.query(`SELECT status FROM phone_status WHERE phone = $1`, [wrong.phone])).toEqual([{ status: 'wrong_number' }]);
    const later = new Date(NOON_EASTERN.getTime() + 26 * 3600_000);
    const callBack = await dispose('call_back', { callBackAt: later.toISOString() });
    expect(callBack.status).toBe('open');
    expect(new Date(callBack.nextAttemptAt).toISOString()).toBe(later.toISOString());
    const notHome = await dispose('not_home');
    expect(notHome.status).toBe('open');
    // A call-back needs its time; a bad disposition is named; neither changes anything.
    const card = (await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body.card;
    const missing = await post(volunteer, `/api/calling-sessions/${session.id}/dispositions`)
      .send({ leaseId: card.leaseId, disposition: 'call_back' })
      .expect(400);
    expect(missing.body.message).toMatch(/callBackAt/);
    const unknown = await post(volunteer, `/api/calling-sessions/${session.id}/dispositions`).send({ leaseId: card.leaseId, disposition: 'maybe' }).expect(400);
    expect(unknown.body.message).toMatch(/disposition must be one of/);
    expect(await sql.query(`SELECT 1 FROM contact_attempt WHERE lease_id = $1`, [card.leaseId])).toEqual([]);
    // Nobody is handed the do-not-call or wrong number again, even from a fresh list row of another campaign.
    const phones = await sql.query(`SELECT phone FROM campaign_contact WHERE lease_id IS NOT NULL`);
    expect(phones.map((row: { phone: string }) => row.phone)).not.toEqual(expect.arrayContaining([doNotCall.phone]));
    await post(volunteer, `/api/calling-sessions/${session.id}/status`).send({ status: 'ended' }).expect(200);
    expect(await sql.query(`SELECT 1 FROM campaign_contact WHERE leased_session_id = $1`, [session.id])).toEqual([]);
  });

  it('should apply a call once when the carrier repeats and reorders its callbacks', async () => {
    simulator.setScenario({
      ...simulator.scenario(),
      seed: 11,
      duplicateRate: 1,
      outOfOrderRate: 1,
      lateMs: { min: 5, max: 40 },
    });
    const session = (await post(volunteer, '/api/calling-sessions').send({ campaignId }).expect(201)).body;
    const card = (await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body.card;
    const callId = (await post(volunteer, `/api/calling-sessions/${session.id}/calls`).send({ leaseId: card.leaseId }).expect(201)).body.id;
    await waitUntil(
      async () => ((await sql.query(`SELECT status FROM call WHERE id = $1`, [callId]))[0].status === 'in-progress' ? true : undefined),
      'the answer',
    );
    await post(volunteer, `/api/calling-sessions/${session.id}/calls/${callId}/hangup`).expect(200);
    const [{ sid }] = await sql.query(`SELECT provider_call_sid AS sid FROM call WHERE id = $1`, [callId]);
    const sent = () => (simulator.calls().find((call) => call.sid === sid)?.callbacks as unknown[] | undefined)?.length ?? 0;
    // Every callback twice: initiated, ringing, answered, completed.
    await waitUntil(async () => (sent() >= 8 ? true : undefined), 'the carrier to send every callback twice');
    // One statement, so the count and the applied check see the same events.
    await waitUntil(async () => {
      const [{ total, unapplied }] = await sql.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE applied_at IS NULL)::int AS unapplied FROM provider_event WHERE subject_id = $1`,
        [callId],
      );
      return total === 4 && unapplied === 0 ? true : undefined;
    }, 'the events to be stored and applied');
    // The carrier really did repeat and reorder them.
    expect(simulator.stats().callbacks).toMatchObject({ duplicated: expect.any(Number), reordered: expect.any(Number) });
    expect(simulator.stats().callbacks.duplicated).toBeGreaterThanOrEqual(4);
    expect(simulator.stats().callbacks.reordered).toBeGreaterThanOrEqual(1);
    const events = await sql.query(`SELECT event_key AS "eventKey" FROM provider_event WHERE subject_id = $1 ORDER BY event_key`, [callId]);
    expect(events.map((event: { eventKey: string }) => event.eventKey)).toEqual(['seq:0', 'seq:1', 'seq:2', 'seq:3']);
    const [call] = await sql.query(
      `SELECT status, answered_by AS "answeredBy", answered_at IS NOT NULL AS answered, ended_at IS NOT NULL AS ended FROM call WHERE id = $1`,
      [callId],
    );
    expect(call).toEqual({ status: 'completed', answeredBy: 'human', answered: true, ended: true });
    await post(volunteer, `/api/calling-sessions/${session.id}/dispositions`).send({ leaseId: card.leaseId, disposition: 'refused' }).expect(200);
    simulator.setScenario({ ...simulator.scenario(), duplicateRate: 0, outOfOrderRate: 0 });
  });

  it('should accept carrier callbacks only with a valid signature, and apply duplicates and out-of-order events once', async () => {
    const [call] = await sql.query(`SELECT id, provider_call_sid AS sid, status FROM call ORDER BY created_at LIMIT 1`);
    const url = `${apiUrl}/api/webhooks/twilio/calls/${call.id}`;
    const params = { CallSid: call.sid, CallStatus: 'ringing', SequenceNumber: '1', AccountSid: context.config.telephony.accountSid };
    const form = new URLSearchParams(params).toString();
    const send = (signature: string | null, body = form) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
        body,
      });
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    expect((await send(null)).status).toBe(403);
    expect((await send(signature, new URLSearchParams({ ...params, CallStatus: 'in-progress' }).toString())).status).toBe(403);
    expect((await send('bm90IGEgc2lnbmF0dXJl')).status).toBe(403);
    const eventsBefore = (await sql.query(`SELECT count(*)::int AS n FROM provider_event`))[0].n;
    // A late, repeated "ringing" for a completed call: stored once, changes nothing.
    expect((await send(signature)).status).toBe(204);
    expect((await send(signature)).status).toBe(204);
    const eventsAfter = (await sql.query(`SELECT count(*)::int AS n FROM provider_event`))[0].n;
    expect(eventsAfter - eventsBefore).toBeLessThanOrEqual(1);
    await waitUntil(
      async () => ((await sql.query(`SELECT count(*)::int AS n FROM provider_event WHERE applied_at IS NULL`))[0].n === 0 ? true : undefined),
      'events applied',
    );
    expect((await sql.query(`SELECT status FROM call WHERE id = $1`, [call.id]))[0].status).toBe('completed');
  });
  it('should save a conversation whose values answer the taxonomy no longer has, leaving that answer out of the segment', async () => {
    const session = (await post(volunteer, '/api/calling-sessions').send({ campaignId }).expect(201)).body;
    const card = (await post(volunteer, `/api/calling-sessions/${session.id}/next`).expect(200)).body.card;
    // A data lead saved a new taxonomy version without the values question since the script was written.
    const [{ id: newer }] = await sql.query(
      `INSERT INTO segment_taxonomy (alliance_id, version, segments, values_questions)
       SELECT alliance_id, version + 1, segments, '[]' FROM segment_taxonomy
        WHERE alliance_id = (SELECT alliance_id FROM campaign WHERE id = $1) ORDER BY version DESC LIMIT 1 RETURNING id`,
      [campaignId],
    );
    try {
      const answers = [
        { questionKey: DEFAULT_SURVEY_QUESTIONS[0].key, answer: DEFAULT_SURVEY_QUESTIONS[0].choices[0].value },
        { questionKey: DEFAULT_SURVEY_QUESTIONS[1].key, answer: DEFAULT_SURVEY_QUESTIONS[1].choices[0].value },
      ];
      const saved = await post(volunteer, `/api/calling-sessions/${session.id}/dispositions`)
        .send({ leaseId: card.leaseId, disposition: 'contacted', answers })
        .expect(200);
      expect(saved.body.repeated).toBe(false);
      const [{ responses }] = await sql.query(`SELECT count(*)::int AS responses FROM survey_response WHERE contact_attempt_id = $1`, [saved.body.id]);
      expect(responses).toBe(2);
      expect(await sql.query(`SELECT 1 FROM segment_evidence WHERE voter_id = $1`, [card.voter.id])).toEqual([]);
    } finally {
      await sql.query(`DELETE FROM segment_taxonomy WHERE id = $1`, [newer]);
    }
  });
});
