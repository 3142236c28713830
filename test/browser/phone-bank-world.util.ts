import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { SegmentApplicationService } from '@app/segments';
import { createOwnerApplication, IdentityFactory, importSyntheticVoters, TEST_PASSWORD } from '@app/testing';
import { assignEveryVoterAsTurf, HUMANS_WHO_STAY_ON, type PhoneBankStack, startPhoneBankStack } from '../phone-bank-stack.util';

export { NOON_EASTERN } from '../phone-bank-stack.util';

export interface Person {
  readonly email: string;
  readonly displayName: string;
}

export const ORG_LEAD: Person = { email: 'olivia.lead@example.test', displayName: 'Olivia Organizer' };
export const VOLUNTEER: Person = { email: 'victor.caller@example.test', displayName: 'Victor Caller' };
const DATA_LEAD: Person = { email: 'dara.data@example.test', displayName: 'Dara Data' };

/** A rule model that spreads the synthetic voters over every segment, so call cards carry badges and tailored wording. */
const SEGMENT_RULES = {
  rules: [
    { segment: 'aspiring_poc', conditions: [{ field: 'raceEthnicity', values: ['black', 'hispanic'] }] },
    { segment: 'pro_tax_base', conditions: [{ field: 'party', values: ['democratic'] }] },
    { segment: 'balanced_suburbans', conditions: [{ field: 'urbanicity', values: ['suburban'] }] },
  ],
  fallbackSegment: 'other',
};

/**
 * Everything a phone bank runs on, in this process: the api listening on a real port (HTTP and
 * the realtime WebSocket, serving the built console at /), the dialer worker's queue, and the
 * carrier simulator, whose every callee is a human who stays on the line until hung up. The
 * api's clock is held at noon Eastern so the calling window is open whatever the time of the run.
 */
export interface PhoneBankWorld extends PhoneBankStack {
  readonly allianceId: string;
  readonly campaignId: string;
}

/**
 * The Carolina Alliance of the browser tests: one anchor (Piedmont), one member (Eastside Neighbors),
 * and each person signed up (with the test password) in the member or alliance-wide, in the role given.
 */
export async function seedCarolinaAlliance(
  sql: DataSource,
  people: ReadonlyArray<readonly [Person, 'member' | 'alliance', MembershipRole]>,
): Promise<{ alliance: { id: string }; anchor: { id: string }; member: { id: string } }> {
  const identity = new IdentityFactory(sql);
  const alliance = await identity.alliance({ name: 'Carolina Alliance' });
  const anchor = await identity.anchor(alliance.id, { name: 'Piedmont Anchor', slug: 'piedmont' });
  const member = await identity.member(alliance.id, anchor.id, { name: 'Eastside Neighbors', slug: 'eastside' });
  const passwordHash = await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS);
  for (const [person, where, role] of people) {
    const user = await identity.user({ ...person, passwordHash });
    await identity.membership(user.id, alliance.id, where === 'member' ? member.id : null, role);
  }
  return { alliance, anchor, member };
}

export async function startPhoneBankWorld(): Promise<PhoneBankWorld> {
  // A ring long enough for the page to show it.
  const stack = await startPhoneBankStack({
    ...HUMANS_WHO_STAY_ON,
    seed: 11,
    timings: { ...HUMANS_WHO_STAY_ON.timings, ringMs: { ...HUMANS_WHO_STAY_ON.timings?.ringMs, human: { min: 150, max: 250 } } },
  });
  const { context, api, sql } = stack;
  const { alliance, anchor, member } = await seedCarolinaAlliance(sql, [
    [ORG_LEAD, 'member', MembershipRole.OrgLead],
    [VOLUNTEER, 'member', MembershipRole.Volunteer],
    [DATA_LEAD, 'alliance', MembershipRole.DataLead],
  ]);
  const owner = await createOwnerApplication(context);
  try {
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 400, seed: 17 });

    // Segments first, as a data lead would: a rule model applied to every voter (the test runs the application the api queues).
    const dataLead = await signedInAgent(api, DATA_LEAD.email);
    const model = await dataLead.send('post', '/api/segment-models/rules', { name: 'Starter rules', definition: SEGMENT_RULES }, 201);
    const application = await dataLead.send('post', `/api/segment-models/${model.id as string}/applications`, undefined, 202);
    const applied = await owner.get(SegmentApplicationService).run(application.id as string);
    if (applied?.status !== 'succeeded') throw new Error(`applying the segment rules did not succeed: ${applied?.status}`);
  } finally {
    await owner.close();
  }

  // The campaign, as the org lead sets it up through the api: settings, the default script, turf, then active.
  const lead = await signedInAgent(api, ORG_LEAD.email);
  const campaign = await lead.send(
    'post',
    '/api/campaigns',
    { slug: 'fall', name: 'Fall calls', callerIds: ['+14155550123'], callingWindow: { start: '09:00', end: '20:30' }, contactTarget: 200 },
    201,
  );
  const campaignId = campaign.id as string;
  await lead.send('put', `/api/campaigns/${campaignId}/script`, { script: DEFAULT_CALL_SCRIPT, surveyQuestions: DEFAULT_SURVEY_QUESTIONS }, 200);
  await assignEveryVoterAsTurf(sql, { allianceId: alliance.id, anchorId: anchor.id, memberId: member.id, campaignId });
  await lead.send('post', `/api/campaigns/${campaignId}/status`, { status: 'active' }, 200);

  return { ...stack, allianceId: alliance.id, campaignId };
}

/** Signs a seeded person in through the api's own route and sends changes with their anti-CSRF token, expecting a status. */
async function signedInAgent(api: INestApplication, email: string) {
  const agent = request.agent(api.getHttpServer());
  const signedIn = await agent.post('/api/auth/sessions').send({ email, password: TEST_PASSWORD });
  if (signedIn.status !== 201) throw new Error(`signing in ${email} failed: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  const csrfToken = (signedIn.body as { csrfToken: string }).csrfToken;
  return {
    send: async (method: 'post' | 'put', path: string, body: unknown, expected: number): Promise<Record<string, unknown>> => {
      const response = await agent[method](path)
        .set('X-CSRF-Token', csrfToken)
        .send(body as object);
      if (response.status !== expected) throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body as Record<string, unknown>;
    },
  };
}
