import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallListService } from '@app/campaigns';
import { Clock } from '@app/common';
import { MembershipRole } from '@app/identity';
import { QueueName } from '@app/queue';
import { SegmentApplicationService } from '@app/segments';
import { IdentityFactory, importSyntheticVoters, type SignedInAgent, signInAs } from '@app/testing';
import { assignEveryVoterAsTurf, NOON_EASTERN } from '../../../test/phone-bank-stack.util';
import { type ApiUnderTest, closeApiUnderTest, startApiUnderTest } from './api-under-test';

const SENDING_NUMBERS = ['+14155550101', '+14155550102'];
const INITIAL_MESSAGE = {
  template: 'Hi {voter.first_name|there}, this is {volunteer.first_name} with {organization.name}. Can we count on your vote?',
  variants: [{ segmentKey: 'pro_tax_base', template: 'Hi {voter.first_name|there}, Measure A funds schools. Will you vote yes?' }],
};
const CANNED_RESPONSES = [{ key: 'thanks', title: 'Thanks', body: 'Thank you, {voter.first_name|friend}!' }];
const SURVEY_QUESTIONS = [
  {
    key: 'support',
    kind: 'single_choice',
    prompt: 'Will you vote yes?',
    choices: [
      { value: 'yes', label: 'Yes' },
      { value: 'no', label: 'No' },
    ],
  },
];

/**
 * Peer-to-peer texting through the api, against real PostgreSQL and Redis (no sms-worker runs, so
 * texts stay written and their send jobs stay queued): batches that never overlap and skip phones
 * that may not be texted, one initial text per conversation and per phone, replies once per click,
 * a close recorded once, a lead's figures exact on a seeded set, and other organizations kept out.
 */
describe('texting (api, real PostgreSQL and Redis)', () => {
  let parts: Partial<ApiUnderTest> = {};
  let sql: DataSource;
  let sendQueue: Queue;
  let clock: jest.SpyInstance;
  let allianceId: string;
  let anchorId: string;
  let memberId: string;
  let otherMemberId: string;
  let campaignId: string;
  let texter1: SignedInAgent;
  let texter2: SignedInAgent;
  let texter3: SignedInAgent;
  let otherVolunteer: SignedInAgent;
  let lead: SignedInAgent;
  let otherLead: SignedInAgent;
  let admin: SignedInAgent;
  let outsider: SignedInAgent;
  /** Call-list rows by id, as listed; the blocked ones are chosen among the first so a batch must skip them. */
  let contacts: { id: string; phone: string; voterId: string }[];
  let blockedPhones: string[];
  let oldTextedPhone: string;

  const post = (as: SignedInAgent, path: string) => as.agent.post(path).set('X-CSRF-Token', as.csrfToken);
  const assign = (as: SignedInAgent, campaign: string, body: Record<string, unknown> = {}) =>
    post(as, `/api/texting/campaigns/${campaign}/assignments`).send(body);
  const conversationsOf = async (userId: string): Promise<{ id: string; contactId: string; phone: string; sendingNumber: string; status: string }[]> =>
    sql.query(
      `SELECT id, campaign_contact_id::text AS "contactId", voter_phone AS phone, sending_number AS "sendingNumber", status
         FROM conversation WHERE campaign_id = $1 AND texter_user_id = $2 ORDER BY campaign_contact_id`,
      [campaignId, userId],
    );
  const insertCampaign = async (values: { slug: string; organizationId: string | null; channel?: string; status?: string; suppressDays?: number | null }) => {
    const [{ id }] = await sql.query(
      `INSERT INTO campaign (alliance_id, slug, name, organization_id, channel, status, calling_window_start, calling_window_end, sending_numbers,
                             initial_message, canned_responses, survey_questions, suppress_texted_within_days, script_version)
       VALUES ($1, $2, $2, $3, $4, $5, '09:00', '20:00', $6, $7, $8, $9, $10, 3) RETURNING id`,
      [
        allianceId,
        values.slug,
        values.organizationId,
        values.channel ?? 'sms',
        values.status ?? 'active',
        values.channel === 'phone' ? [] : SENDING_NUMBERS,
        values.channel === 'phone' ? null : JSON.stringify(INITIAL_MESSAGE),
        JSON.stringify(values.channel === 'phone' ? [] : CANNED_RESPONSES),
        JSON.stringify(SURVEY_QUESTIONS),
        values.suppressDays ?? null,
      ],
    );
    return id as string;
  };
  /** An outbound text of another campaign, `daysAgo` days ago: what suppression looks at. */
  const textedByOtherCampaign = async (otherCampaignId: string, contact: { phone: string; voterId: string }, daysAgo: number) => {
    const [{ id: contactId }] = await sql.query(
      `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, status, closed_reason)
       VALUES ($1, $2, $3, $4, $5, ARRAY[$5]::bigint[], 'done', 'texted') RETURNING id`,
      [allianceId, otherCampaignId, otherMemberId, contact.phone, contact.voterId],
    );
    const [{ id: conversationId }] = await sql.query(
      `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, status, last_outbound_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'messaged', now()) RETURNING id`,
      [allianceId, otherCampaignId, otherMemberId, contactId, contact.voterId, contact.phone, SENDING_NUMBERS[0]],
    );
    await sql.query(
      `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body, status, created_at)
       VALUES ($1, $2, $3, $4, 'outbound', 'initial', $5, $6, $7, 'Hello from another campaign', 'delivered', now() - make_interval(days => $8))`,
      [allianceId, otherCampaignId, otherMemberId, conversationId, `initial:${conversationId}`, contact.phone, SENDING_NUMBERS[0], daysAgo],
    );
  };
  const inbound = async (
    conversation: { id: string; phone: string } | null,
    body: string,
    organizationId: string | null = memberId,
    alliance: string | null = allianceId,
  ) => {
    const sid = `SM${randomUUID().replace(/-/g, '')}`;
    await sql.query(
      `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body,
                            status, provider, provider_message_sid)
       VALUES ($1, $2, $3, $4, 'inbound', 'inbound', $5, $6, $7, $8, 'received', 'carrier-sim', $9)`,
      [
        alliance,
        conversation === null ? null : campaignId,
        conversation === null ? null : organizationId,
        conversation?.id ?? null,
        `inbound:${sid}`,
        conversation?.phone ?? '+19195550177',
        SENDING_NUMBERS[0],
        body,
        sid,
      ],
    );
    if (conversation !== null) {
      await sql.query(`UPDATE conversation SET status = 'needs_response', last_inbound_at = now(), updated_at = now() WHERE id = $1`, [conversation.id]);
    }
  };
  const sendJobs = async () => (await sendQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'])).map((job) => job.id);

  beforeAll(async () => {
    parts = await startApiUnderTest();
    const { app, owner, context } = parts as ApiUnderTest;
    sql = owner.get(DataSource);
    sendQueue = app.get<Queue>(getQueueToken(QueueName.Sms), { strict: false });
    clock = jest.spyOn(app.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
    const identity = new IdentityFactory(sql);
    allianceId = (await identity.alliance()).id;
    anchorId = (await identity.anchor(allianceId)).id;
    memberId = (await identity.member(allianceId, anchorId, { name: 'Bay Voices' })).id;
    otherMemberId = (await identity.member(allianceId, anchorId, { name: 'Delta Neighbors' })).id;
    await importSyntheticVoters(owner, context, { allianceId, rows: 160, seed: 31 });

    campaignId = await insertCampaign({ slug: 'fall-texts', organizationId: memberId, suppressDays: 30 });
    await assignEveryVoterAsTurf(sql, { allianceId, anchorId, memberId, campaignId });
    await app.get(CallListService).refresh(allianceId, campaignId);
    await sql.query(`UPDATE campaign_contact SET time_zone = 'America/New_York' WHERE campaign_id = $1`, [campaignId]);
    contacts = await sql.query(`SELECT id::text, phone, voter_id::text AS "voterId" FROM campaign_contact WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
    expect(contacts.length).toBeGreaterThan(60);

    // Among the first contacts: opted out, do-not-call, a known-wrong number, and one another campaign texted 2 days ago.
    blockedPhones = [contacts[0].phone, contacts[2].phone, contacts[4].phone, contacts[6].phone];
    await sql.query(`INSERT INTO opt_out (alliance_id, phone, channel, source) VALUES ($1, $2, 'sms', 'keyword')`, [allianceId, contacts[0].phone]);
    await sql.query(`INSERT INTO do_not_call (alliance_id, phone, source) VALUES ($1, $2, 'admin')`, [allianceId, contacts[2].phone]);
    await sql.query(`INSERT INTO phone_status (alliance_id, phone, status) VALUES ($1, $2, 'wrong_number')`, [allianceId, contacts[4].phone]);
    const otherCampaignId = await insertCampaign({ slug: 'spring-texts', organizationId: otherMemberId });
    await textedByOtherCampaign(otherCampaignId, contacts[6], 2);
    // Texted 40 days ago: outside the campaign's 30 days, so not suppressed.
    oldTextedPhone = contacts[8].phone;
    await textedByOtherCampaign(otherCampaignId, contacts[8], 40);

    const server = app.getHttpServer();
    const volunteerOf = (organizationId: string) => signInAs(server, sql, [{ allianceId, organizationId, role: MembershipRole.Volunteer }]);
    [texter1, texter2, texter3, otherVolunteer] = await Promise.all([
      volunteerOf(memberId),
      volunteerOf(memberId),
      volunteerOf(memberId),
      volunteerOf(otherMemberId),
    ]);
    lead = await signInAs(server, sql, [{ allianceId, organizationId: memberId, role: MembershipRole.OrgLead }]);
    otherLead = await signInAs(server, sql, [{ allianceId, organizationId: otherMemberId, role: MembershipRole.OrgLead }]);
    admin = await signInAs(server, sql, [{ allianceId, organizationId: null, role: MembershipRole.AllianceAdmin }]);
    const otherAlliance = await identity.alliance();
    const otherAnchor = await identity.anchor(otherAlliance.id);
    const otherAllianceMember = await identity.member(otherAlliance.id, otherAnchor.id);
    outsider = await signInAs(server, sql, [{ allianceId: otherAlliance.id, organizationId: otherAllianceMember.id, role: MembershipRole.Volunteer }]);
  }, 180_000);

  afterAll(async () => {
    await closeApiUnderTest(parts);
  });

  afterEach(() => {
    clock.mockReturnValue(NOON_EASTERN);
  });

  describe('assignment batches', () => {
    it('should give two texters asking at once different contacts, each from the campaign’s numbers by contact id', async () => {
      const [first, second] = await Promise.all([assign(texter1, campaignId, { count: 10 }), assign(texter2, campaignId, { count: 10 })]);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(first.body).toMatchObject({ campaignId, organizationId: memberId, requestedCount: 10, assignedCount: 10, needsMessage: 10 });
      expect(second.body).toMatchObject({ assignedCount: 10 });
      const mine = await conversationsOf(texter1.userId);
      const theirs = await conversationsOf(texter2.userId);
      expect(mine).toHaveLength(10);
      expect(theirs).toHaveLength(10);
      const overlap = mine.filter((conversation) => theirs.some((other) => other.contactId === conversation.contactId));
      expect(overlap).toEqual([]);
      for (const conversation of [...mine, ...theirs]) {
        expect(conversation.status).toBe('needs_message');
        expect(conversation.sendingNumber).toBe(SENDING_NUMBERS[Number(BigInt(conversation.contactId) % 2n)]);
      }
      const [{ assignments }] = await sql.query(`SELECT count(*)::int AS assignments FROM texting_assignment WHERE campaign_id = $1`, [campaignId]);
      expect(assignments).toBe(2);
    });

    it('should skip opted-out, do-not-call, wrong and recently texted phones, and hand out every other contact once', async () => {
      const rest = await assign(texter3, campaignId, { count: 1000 }).expect(201);
      const all: { contactId: string; phone: string }[] = await sql.query(
        `SELECT campaign_contact_id::text AS "contactId", voter_phone AS phone FROM conversation WHERE campaign_id = $1`,
        [campaignId],
      );
      expect(rest.body.assignedCount).toBe(contacts.length - 20 - blockedPhones.length);
      expect(all).toHaveLength(contacts.length - blockedPhones.length);
      expect(new Set(all.map((each) => each.contactId)).size).toBe(all.length);
      expect(all.filter((each) => blockedPhones.includes(each.phone))).toEqual([]);
      expect(all.map((each) => each.phone)).toContain(oldTextedPhone);
      // Nobody is left: a batch of none creates no assignment.
      await sql.query(`UPDATE conversation SET status = 'messaged' WHERE texter_user_id = $1`, [texter3.userId]);
      const none = await assign(texter3, campaignId, { count: 5 }).expect(201);
      expect(none.body).toMatchObject({ assignmentId: null, assignedCount: 0 });
    });

    it('should refuse more contacts while the texter’s conversations wait for a first text or a reply', async () => {
      const [{ before }] = await sql.query(`SELECT count(*)::int AS before FROM texting_assignment`);
      const refused = await assign(texter1, campaignId, { count: 5 }).expect(409);
      expect(refused.body.message).toMatch(/10 still need their first text .* Texters get more contacts when their replies are handled/);
      expect(refused.body.details).toMatchObject({ reason: 'backlog_pending', needsMessage: 10, needsResponse: 0 });
      const [{ after }] = await sql.query(`SELECT count(*)::int AS after FROM texting_assignment`);
      expect(after).toBe(before);
    });

    it('should refuse a count out of bounds, an inactive campaign and a phone campaign', async () => {
      for (const count of [0, 1001, 2.5, 'ten']) {
        expect((await assign(texter1, campaignId, { count }).expect(400)).body.message).toMatch(/count must be a whole number from 1 to 1000/);
      }
      const paused = await insertCampaign({ slug: 'paused-texts', organizationId: memberId, status: 'paused' });
      expect((await assign(texter1, paused).expect(409)).body).toMatchObject({ details: { reason: 'campaign_not_active' } });
      const phone = await insertCampaign({ slug: 'calls', organizationId: memberId, channel: 'phone' });
      expect((await assign(texter1, phone).expect(409)).body).toMatchObject({ message: 'This is not a text campaign' });
    });
  });

  describe('initial texts', () => {
    let sentConversationId: string;

    it('should offer the next conversation with its rendered text, the first name and the last four digits only', async () => {
      const [expected] = await conversationsOf(texter1.userId);
      const [voter] = await sql.query(`SELECT v.first_name AS "firstName" FROM conversation c JOIN voter v ON v.id = c.voter_id WHERE c.id = $1`, [
        expected.id,
      ]);
      const { body } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      expect(body).toMatchObject({
        kind: 'conversation',
        conversationId: expected.id,
        voter: { firstName: voter.firstName, phoneLastDigits: expected.phone.slice(-4) },
        segmentKey: null,
        waiting: 10,
      });
      expect(body.body).toMatch(/^Hi .*, this is Test with Bay Voices\. Can we count on your vote\?$/);
      expect(JSON.stringify(body)).not.toContain(expected.phone.slice(2, 8));
    });

    it('should write one text and enqueue one send job, and answer a double click with the same text', async () => {
      const { body: next } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      sentConversationId = next.conversationId;
      const jobsBefore = await sendJobs();
      const [first, second] = [
        await post(texter1, `/api/texting/conversations/${sentConversationId}/initial`).expect(201),
        await post(texter1, `/api/texting/conversations/${sentConversationId}/initial`).expect(200),
      ];
      expect(first.body).toMatchObject({ repeated: false, heldUntil: null, message: { conversationId: sentConversationId, kind: 'initial', body: next.body } });
      expect(second.body).toEqual({ ...first.body, repeated: true });
      const messages = await sql.query(`SELECT id, idempotency_key AS key, sent_by_user_id AS "sentBy" FROM message WHERE conversation_id = $1`, [
        sentConversationId,
      ]);
      expect(messages).toEqual([{ id: first.body.message.id, key: `initial:${sentConversationId}`, sentBy: texter1.userId }]);
      const jobsAfter = await sendJobs();
      expect(jobsAfter.filter((id) => !jobsBefore.includes(id))).toEqual([`sms-send-${first.body.message.id}`]);
      const [conversation] = await sql.query(`SELECT status, last_outbound_at AS "lastOutboundAt" FROM conversation WHERE id = $1`, [sentConversationId]);
      expect(conversation.status).toBe('messaged');
      expect(conversation.lastOutboundAt).not.toBeNull();
      // The next offer is another conversation.
      const { body: after } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      expect(after.conversationId).not.toBe(sentConversationId);
      expect(after.waiting).toBe(9);
    });

    it('should accept a text outside the voter’s window and say until when it is held', async () => {
      clock.mockReturnValue(new Date('2026-11-30T08:00:00Z')); // 03:00 in New York
      const { body: next } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      const sent = await post(texter1, `/api/texting/conversations/${next.conversationId}/initial`).expect(201);
      expect(sent.body.heldUntil).toBe('2026-11-30T14:00:00.000Z'); // 09:00 in New York
      expect(sent.body.message.status).toBe('created');
    });

    it('should not send a second initial text to a phone another voter of the campaign already got one on', async () => {
      const [{ phone, contactId }] = await sql.query(`SELECT voter_phone AS phone, campaign_contact_id AS "contactId" FROM conversation WHERE id = $1`, [
        sentConversationId,
      ]);
      // The first voter's row moved to another phone; a housemate's row now lists the shared one.
      await sql.query(`UPDATE campaign_contact SET phone = '+19195550999' WHERE id = $1`, [contactId]);
      const [{ id: housemateContact }] = await sql.query(
        `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids, time_zone)
         VALUES ($1, $2, $3, $4, $5, ARRAY[$5]::bigint[], 'America/New_York') RETURNING id`,
        [allianceId, campaignId, memberId, phone, contacts[1].voterId],
      );
      const [{ id: housemateConversation }] = await sql.query(
        `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, texter_user_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'needs_message') RETURNING id`,
        [allianceId, campaignId, memberId, housemateContact, contacts[1].voterId, phone, SENDING_NUMBERS[0], texter1.userId],
      );
      const refused = await post(texter1, `/api/texting/conversations/${housemateConversation}/initial`).expect(409);
      expect(refused.body.details).toMatchObject({ reason: 'phone_already_texted' });
      const initials = await sql.query(
        `SELECT conversation_id AS "conversationId" FROM message WHERE campaign_id = $1 AND voter_phone = $2 AND kind = 'initial'`,
        [campaignId, phone],
      );
      expect(initials).toEqual([{ conversationId: sentConversationId }]);
      const [housemate] = await sql.query(`SELECT status, closed_reason AS "closedReason" FROM conversation WHERE id = $1`, [housemateConversation]);
      expect(housemate).toEqual({ status: 'closed', closedReason: 'suppressed' });
    });

    it('should close, not offer, a conversation whose phone opted out after it was assigned', async () => {
      const { body: next } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      const [{ phone }] = await sql.query(`SELECT voter_phone AS phone FROM conversation WHERE id = $1`, [next.conversationId]);
      await sql.query(`INSERT INTO opt_out (alliance_id, phone, channel, source) VALUES ($1, $2, 'all', 'keyword')`, [allianceId, phone]);
      const refused = await post(texter1, `/api/texting/conversations/${next.conversationId}/initial`).expect(409);
      expect(refused.body.details).toMatchObject({ reason: 'phone_blocked', closedReason: 'opted_out' });
      expect(await sql.query(`SELECT 1 FROM message WHERE conversation_id = $1`, [next.conversationId])).toEqual([]);
      const { body: after } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
      expect(after.conversationId).not.toBe(next.conversationId);
    });
    it('should text a voter the variant written for their values segment, and record which', async () => {
      const dataLead = await signInAs(parts.app!.getHttpServer(), sql, [{ allianceId, organizationId: null, role: MembershipRole.DataLead }]);
      // Democrats fall in "other" (no variant: the base template); everyone else in pro_tax_base (its variant).
      const definition = { rules: [{ segment: 'other', conditions: [{ field: 'party', values: ['democratic'] }] }], fallbackSegment: 'pro_tax_base' };
      const model = await post(dataLead, '/api/segment-models/rules').send({ name: 'Texting test', definition }).expect(201);
      const application = await post(dataLead, `/api/segment-models/${model.body.id}/applications`).expect(202);
      await parts.owner!.get(SegmentApplicationService).run(application.body.id);

      const segmentKeys: (string | null)[] = [];
      for (let index = 0; index < 4; index += 1) {
        const { body: next } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(200);
        const [{ party }] = await sql.query(`SELECT v.party FROM conversation c JOIN voter v ON v.id = c.voter_id WHERE c.id = $1`, [next.conversationId]);
        const expectedKey = party === 'democratic' ? null : 'pro_tax_base';
        expect(next.segmentKey).toBe(expectedKey);
        if (expectedKey === null) expect(next.body).toMatch(/this is Test with Bay Voices/);
        else expect(next.body).toMatch(/^Hi .*, Measure A funds schools\. Will you vote yes\?$/);
        const sent = await post(texter1, `/api/texting/conversations/${next.conversationId}/initial`).expect(201);
        expect(sent.body.message).toMatchObject({ body: next.body, segmentKey: expectedKey });
        segmentKeys.push(expectedKey);
      }
      expect(segmentKeys).toContain('pro_tax_base');
    });
  });

  describe('replies inbox', () => {
    let conversation: { id: string; phone: string };

    beforeAll(async () => {
      [conversation] = await sql.query(
        `SELECT c.id, c.voter_phone AS phone FROM conversation c JOIN message m ON m.conversation_id = c.id
          WHERE c.texter_user_id = $1 AND m.kind = 'initial' ORDER BY m.created_at LIMIT 1`,
        [texter1.userId],
      );
      await inbound(conversation, 'Who is this?');
    });

    it('should list the texter’s conversations needing a response, and page through a status without repeats', async () => {
      const { body } = await texter1.agent.get(`/api/texting/campaigns/${campaignId}/conversations?status=needs_response`).expect(200);
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({
        id: conversation.id,
        status: 'needs_response',
        phoneLastDigits: conversation.phone.slice(-4),
        lastMessage: { direction: 'inbound', body: 'Who is this?' },
      });
      expect(body.nextCursor).toBeNull();
      expect(JSON.stringify(body)).not.toContain(conversation.phone.slice(2, 8));

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await texter3.agent
          .get(`/api/texting/campaigns/${campaignId}/conversations`)
          .query({ status: 'messaged', limit: 7, ...(cursor === null ? {} : { cursor }) })
          .expect(200);
        seen.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      const own = (await conversationsOf(texter3.userId)).map((each) => each.id);
      expect(seen.sort()).toEqual(own.sort());
      await texter1.agent.get(`/api/texting/campaigns/${campaignId}/conversations?status=open`).expect(400);
      await texter1.agent.get(`/api/texting/campaigns/${campaignId}/conversations?status=messaged&cursor=bm9wZQ`).expect(400);
    });

    it('should show the whole history in order, with the canned responses rendered for the voter', async () => {
      const { body } = await texter1.agent.get(`/api/texting/conversations/${conversation.id}`).expect(200);
      expect(
        body.messages.map((message: { direction: string; status: string; errorCode: string | null }) => [message.direction, message.status, message.errorCode]),
      ).toEqual([
        ['outbound', 'created', null],
        ['inbound', 'received', null],
      ]);
      expect(body).toMatchObject({ status: 'needs_response', optedOut: false, attempt: null, surveyQuestions: SURVEY_QUESTIONS });
      expect(body.cannedResponses).toEqual([{ key: 'thanks', title: 'Thanks', body: expect.stringMatching(/^Thank you, .+!$/) }]);
      expect(body.voter.phoneLastDigits).toBe(conversation.phone.slice(-4));
    });

    it('should write a reply once per client key, and a second key as a second reply', async () => {
      const clientKey = randomUUID();
      const first = await post(texter1, `/api/texting/conversations/${conversation.id}/replies`).send({ body: 'We are Bay Voices!', clientKey }).expect(201);
      const again = await post(texter1, `/api/texting/conversations/${conversation.id}/replies`).send({ body: 'We are Bay Voices!', clientKey }).expect(200);
      expect(again.body).toEqual({ ...first.body, repeated: true });
      expect(first.body.message).toMatchObject({ kind: 'reply', body: 'We are Bay Voices!' });
      expect(await sql.query(`SELECT id FROM message WHERE idempotency_key = $1`, [`reply:${conversation.id}:${clientKey}`])).toEqual([
        { id: first.body.message.id },
      ]);
      expect(await sendJobs()).toContain(`sms-send-${first.body.message.id}`);
      const second = await post(texter1, `/api/texting/conversations/${conversation.id}/replies`)
        .send({ body: 'Can we count on you?', clientKey: randomUUID() })
        .expect(201);
      expect(second.body.message.id).not.toBe(first.body.message.id);
      const [{ status }] = await sql.query(`SELECT status FROM conversation WHERE id = $1`, [conversation.id]);
      expect(status).toBe('messaged');
    });

    it('should refuse a reply to an opted-out phone or with a bad body, and write nothing', async () => {
      const [{ before }] = await sql.query(`SELECT count(*)::int AS before FROM message WHERE conversation_id = $1`, [conversation.id]);
      await sql.query(`INSERT INTO opt_out (alliance_id, phone, channel, source) VALUES ($1, $2, 'sms', 'keyword')`, [allianceId, conversation.phone]);
      const refused = await post(texter1, `/api/texting/conversations/${conversation.id}/replies`)
        .send({ body: 'Hello?', clientKey: randomUUID() })
        .expect(409);
      expect(refused.body).toMatchObject({ message: expect.stringMatching(/opted out/), details: { reason: 'phone_blocked' } });
      const detail = await texter1.agent.get(`/api/texting/conversations/${conversation.id}`).expect(200);
      expect(detail.body.optedOut).toBe(true);
      await sql.query(`DELETE FROM opt_out WHERE alliance_id = $1 AND phone = $2`, [allianceId, conversation.phone]);
      const reply = (body: unknown, clientKey: unknown) => post(texter1, `/api/texting/conversations/${conversation.id}/replies`).send({ body, clientKey });
      expect((await reply('', randomUUID()).expect(400)).body.message).toMatch(/body must be 1 to 1,600 characters/);
      expect((await reply('x'.repeat(1601), randomUUID()).expect(400)).body.message).toMatch(/body must be 1 to 1,600 characters/);
      expect((await reply('Hello', 'abc').expect(400)).body.message).toMatch(/clientKey must be a UUID/);
      const [{ after }] = await sql.query(`SELECT count(*)::int AS after FROM message WHERE conversation_id = $1`, [conversation.id]);
      expect(after).toBe(before);
    });

    it('should close the conversation with one attempt and its answers, once, and refuse replies after', async () => {
      const close = () => post(texter1, `/api/texting/conversations/${conversation.id}/close`).send({ answers: [{ questionKey: 'support', answer: 'YES' }] });
      const first = await close().expect(200);
      expect(first.body).toMatchObject({
        conversationId: conversation.id,
        disposition: 'replied',
        answers: [{ questionKey: 'support', answer: 'yes' }],
        repeated: false,
      });
      const again = await close().expect(200);
      expect(again.body).toEqual({ ...first.body, repeated: true });
      const attempts = await sql.query(
        `SELECT id, channel, outcome, disposition, script_version AS "scriptVersion", volunteer_user_id AS "volunteer" FROM contact_attempt WHERE lease_id = $1`,
        [conversation.id],
      );
      expect(attempts).toEqual([
        { id: first.body.attemptId, channel: 'sms', outcome: null, disposition: 'replied', scriptVersion: 3, volunteer: texter1.userId },
      ]);
      expect(
        await sql.query(`SELECT question_key AS "questionKey", answer FROM survey_response WHERE contact_attempt_id = $1`, [first.body.attemptId]),
      ).toEqual([{ questionKey: 'support', answer: 'yes' }]);
      const [row] = await sql.query(`SELECT status, closed_reason AS "closedReason" FROM conversation WHERE id = $1`, [conversation.id]);
      expect(row).toEqual({ status: 'closed', closedReason: 'texter' });
      const refused = await post(texter1, `/api/texting/conversations/${conversation.id}/replies`)
        .send({ body: 'One more thing', clientKey: randomUUID() })
        .expect(409);
      expect(refused.body.details).toMatchObject({ reason: 'conversation_closed' });
    });

    it('should refuse answers the campaign does not ask for, and record nothing', async () => {
      const [messaged] = await sql.query(`SELECT id FROM conversation WHERE texter_user_id = $1 AND status = 'messaged' LIMIT 1`, [texter1.userId]);
      const bad = await post(texter1, `/api/texting/conversations/${messaged.id}/close`)
        .send({ answers: [{ questionKey: 'support', answer: 'maybe' }] })
        .expect(400);
      expect(bad.body.message).toMatch(/"maybe" is not an answer to question "support"/);
      await post(texter1, `/api/texting/conversations/${messaged.id}/close`)
        .send({ answers: [{ questionKey: 'mood', answer: 'ok' }] })
        .expect(400);
      expect(await sql.query(`SELECT 1 FROM contact_attempt WHERE lease_id = $1`, [messaged.id])).toEqual([]);
      const [{ status }] = await sql.query(`SELECT status FROM conversation WHERE id = $1`, [messaged.id]);
      expect(status).toBe('messaged');
    });
    it('should put the phone on the do-not-call list when the texter closes with do_not_call', async () => {
      const [messaged] = await sql.query(`SELECT id, voter_phone AS phone FROM conversation WHERE texter_user_id = $1 AND status = 'messaged' LIMIT 1`, [
        texter1.userId,
      ]);
      const closed = await post(texter1, `/api/texting/conversations/${messaged.id}/close`).send({ disposition: 'do_not_call' }).expect(200);
      expect(closed.body).toMatchObject({ disposition: 'do_not_call', answers: [], repeated: false });
      expect(
        await sql.query(`SELECT source, contact_attempt_id AS "attemptId" FROM do_not_call WHERE alliance_id = $1 AND phone = $2`, [
          allianceId,
          messaged.phone,
        ]),
      ).toEqual([{ source: 'disposition', attemptId: closed.body.attemptId }]);
      const refused = await post(texter1, `/api/texting/conversations/${messaged.id}/close`).send({ disposition: 'sold' }).expect(400);
      expect(refused.body.message).toMatch(/disposition must be one of texted, replied, refused, wrong_number, do_not_call/);
    });
  });

  describe('access', () => {
    it('should keep another organization’s volunteer out of this organization’s conversations', async () => {
      const [theirs] = await conversationsOf(texter1.userId);
      const refused = await assign(otherVolunteer, campaignId, { count: 5 }).expect(403);
      expect(refused.body.message).toMatch(/belongs to another organization/);
      await otherVolunteer.agent.get(`/api/texting/conversations/${theirs.id}`).expect(404);
      await post(otherVolunteer, `/api/texting/conversations/${theirs.id}/initial`).expect(404);
      await post(otherVolunteer, `/api/texting/conversations/${theirs.id}/replies`).send({ body: 'Hi', clientKey: randomUUID() }).expect(404);
      await post(otherVolunteer, `/api/texting/conversations/${theirs.id}/close`).send({}).expect(404);
      // Nor another texter of the same organization: a conversation is its texter's.
      await texter2.agent.get(`/api/texting/conversations/${theirs.id}`).expect(404);
      await otherVolunteer.agent.get(`/api/texting/campaigns/${campaignId}/conversations?status=needs_message`).expect(403);
      await otherVolunteer.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(403);
      await outsider.agent.get(`/api/texting/campaigns/${campaignId}/next-initial`).expect(404);
      await outsider.agent.get(`/api/texting/conversations/${theirs.id}`).expect(404);
    });

    it('should not let a volunteer read a campaign’s figures', async () => {
      await texter1.agent.get(`/api/texting/campaigns/${campaignId}/stats`).expect(403);
      await otherLead.agent.get(`/api/texting/campaigns/${campaignId}/stats`).expect(403);
    });
  });

  describe('lead’s figures', () => {
    let programId: string;

    /** An alliance-wide program both organizations text, seeded row by row so every figure is known. */
    beforeAll(async () => {
      programId = await insertCampaign({ slug: 'program-texts', organizationId: null });
      // Both organizations hold turf in the program (its figures are theirs); the turf's voters matter not here.
      for (const organizationId of [memberId, otherMemberId]) {
        const [{ id: turfId }] = await sql.query(
          `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at)
           VALUES ($1, $2, 'Program', '{}', 'materialized', 0, now()) RETURNING id`,
          [allianceId, anchorId],
        );
        await sql.query(`INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count) VALUES ($1, $2, $3, $4, 0)`, [
          allianceId,
          programId,
          turfId,
          organizationId,
        ]);
      }
      const voters: { id: string }[] = await sql.query(`SELECT id::text FROM voter WHERE alliance_id = $1 ORDER BY id LIMIT 6`, [allianceId]);
      const phone = (index: number) => `+1919555${String(1000 + index)}`;
      const contactIds: string[] = [];
      for (const [index, voter] of voters.entries()) {
        const [{ id }] = await sql.query(
          `INSERT INTO campaign_contact (alliance_id, campaign_id, organization_id, phone, voter_id, household_voter_ids)
           VALUES ($1, $2, $3, $4, $5, ARRAY[$5]::bigint[]) RETURNING id`,
          [allianceId, programId, index < 4 ? memberId : otherMemberId, phone(index), voter.id],
        );
        contactIds.push(id);
      }
      const conversation = async (index: number, status: string, closedReason: string | null = null) => {
        const [{ id }] = await sql.query(
          `INSERT INTO conversation (alliance_id, campaign_id, organization_id, campaign_contact_id, voter_id, voter_phone, sending_number, texter_user_id,
                                     status, closed_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            allianceId,
            programId,
            index < 4 ? memberId : otherMemberId,
            contactIds[index],
            voters[index].id,
            phone(index),
            SENDING_NUMBERS[0],
            texter1.userId,
            status,
            closedReason,
          ],
        );
        return id as string;
      };
      const text = async (conversationId: string, index: number, kind: string, status: string, errorCode: string | null = null) => {
        await sql.query(
          `INSERT INTO message (alliance_id, campaign_id, organization_id, conversation_id, direction, kind, idempotency_key, voter_phone, our_number, body,
                                status, error_code, provider, provider_message_sid)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'text', $10, $11, $12, $13)`,
          [
            allianceId,
            programId,
            index < 4 ? memberId : otherMemberId,
            conversationId,
            kind === 'inbound' ? 'inbound' : 'outbound',
            kind,
            `${kind}:${randomUUID()}`,
            phone(index),
            SENDING_NUMBERS[0],
            status,
            errorCode,
            kind === 'inbound' ? 'carrier-sim' : null,
            kind === 'inbound' ? `SM${randomUUID().replace(/-/g, '')}` : null,
          ],
        );
      };
      const a0 = await conversation(0, 'messaged');
      const a1 = await conversation(1, 'needs_response');
      const a2 = await conversation(2, 'closed', 'opted_out');
      const b4 = await conversation(4, 'messaged');
      await text(a0, 0, 'initial', 'delivered');
      await text(a1, 1, 'initial', 'failed', '30007');
      await text(a2, 2, 'initial', 'undelivered', '30006');
      await text(a1, 1, 'inbound', 'received');
      await text(a0, 0, 'reply', 'created');
      await text(b4, 4, 'initial', 'failed', '30007');
      await text(b4, 4, 'inbound', 'received');
      // A STOP during the conversation counts; one from before the campaign does not.
      await sql.query(`INSERT INTO opt_out_event (alliance_id, phone, channel, action, source) VALUES ($1, $2, 'sms', 'opt_out', 'keyword')`, [
        allianceId,
        phone(2),
      ]);
      await sql.query(
        `INSERT INTO opt_out_event (alliance_id, phone, channel, action, source, created_at) VALUES ($1, $2, 'sms', 'opt_out', 'keyword', now() - interval '10 days')`,
        [allianceId, phone(0)],
      );
    });

    const figures = (values: {
      total: number;
      assigned: number;
      initialSent: number;
      byStatus: Record<string, number>;
      failures: { status: string; errorCode: string; count: number }[];
      replies: number;
      needsResponse: number;
      optOuts: number;
    }) => ({
      contacts: { total: values.total, assigned: values.assigned, initialSent: values.initialSent },
      outboundByStatus: { created: 0, held: 0, requesting: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, canceled: 0, ...values.byStatus },
      failuresByErrorCode: values.failures,
      replies: values.replies,
      needsResponse: values.needsResponse,
      optOuts: values.optOuts,
    });
    const bayVoices = figures({
      total: 4,
      assigned: 3,
      initialSent: 3,
      byStatus: { created: 1, delivered: 1, failed: 1, undelivered: 1 },
      failures: [
        { status: 'failed', errorCode: '30007', count: 1 },
        { status: 'undelivered', errorCode: '30006', count: 1 },
      ],
      replies: 1,
      needsResponse: 1,
      optOuts: 1,
    });
    const deltaNeighbors = figures({
      total: 2,
      assigned: 1,
      initialSent: 1,
      byStatus: { failed: 1 },
      failures: [{ status: 'failed', errorCode: '30007', count: 1 }],
      replies: 1,
      needsResponse: 0,
      optOuts: 0,
    });

    it('should give an admin every organization’s exact figures and their sum', async () => {
      const { body } = await admin.agent.get(`/api/texting/campaigns/${programId}/stats`).expect(200);
      expect(body.organizations).toEqual([
        { organizationId: memberId, organizationName: 'Bay Voices', ...bayVoices },
        { organizationId: otherMemberId, organizationName: 'Delta Neighbors', ...deltaNeighbors },
      ]);
      expect(body.totals).toEqual(
        figures({
          total: 6,
          assigned: 4,
          initialSent: 4,
          byStatus: { created: 1, delivered: 1, failed: 2, undelivered: 1 },
          failures: [
            { status: 'failed', errorCode: '30007', count: 2 },
            { status: 'undelivered', errorCode: '30006', count: 1 },
          ],
          replies: 2,
          needsResponse: 1,
          optOuts: 1,
        }),
      );
    });

    it('should give an organization’s lead only their organization’s figures', async () => {
      const { body } = await lead.agent.get(`/api/texting/campaigns/${programId}/stats`).expect(200);
      expect(body.organizations).toEqual([{ organizationId: memberId, organizationName: 'Bay Voices', ...bayVoices }]);
      expect(body.totals).toEqual(bayVoices);
      const other = await otherLead.agent.get(`/api/texting/campaigns/${programId}/stats`).expect(200);
      expect(other.body.totals).toEqual(deltaNeighbors);
      await texter1.agent.get(`/api/texting/campaigns/${programId}/stats`).expect(403);
    });
  });

  describe('unmatched inbound texts', () => {
    beforeAll(async () => {
      await inbound(null, 'older unmatched');
      await inbound(null, 'newer unmatched');
      await inbound(null, 'nobody’s', null, null);
    });

    it('should show an admin the alliance’s unmatched texts newest first, by the last four digits, a page at a time', async () => {
      const first = await admin.agent.get('/api/texting/unmatched?limit=1').expect(200);
      expect(first.body.items).toEqual([
        { id: expect.any(String), phoneLastDigits: '0177', ourNumber: SENDING_NUMBERS[0], body: 'newer unmatched', receivedAt: expect.any(String) },
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await admin.agent.get(`/api/texting/unmatched?limit=1&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items.map((item: { body: string }) => item.body)).toEqual(['older unmatched']);
      expect(second.body.nextCursor).toBeNull();
      expect(JSON.stringify([first.body, second.body])).not.toContain('9195550177');
    });

    it('should refuse leads and volunteers', async () => {
      await lead.agent.get('/api/texting/unmatched').expect(403);
      await texter1.agent.get('/api/texting/unmatched').expect(403);
    });
  });
});
