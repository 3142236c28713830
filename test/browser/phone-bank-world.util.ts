import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DEFAULT_CALL_SCRIPT, DEFAULT_SURVEY_QUESTIONS } from '@app/campaigns';
import { Clock } from '@app/common';
import { ARGON2ID_PARAMETERS, MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext, findFreePort } from '@app/runtime';
import { SegmentApplicationService } from '@app/segments';
import { createOwnerApplication, createTestContext, IdentityFactory, importSyntheticVoters, TEST_PASSWORD, type TestContext } from '@app/testing';
import { type CarrierSimulator, createCarrierSimulator, SILENT_LOG } from '../../apps/carrier-sim/src';
import { DialerWorkerModule } from '../../apps/dialer-worker/src/dialer-worker.module';
import { createApiApplication } from '../../apps/api/src/api-application.factory';

/** Noon in New York (the synthetic North Carolina voters' zone) on a weekday: inside every default calling window. */
export const NOON_EASTERN = new Date('2026-11-30T17:00:00Z');

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
export interface PhoneBankWorld {
  readonly context: TestContext;
  readonly api: INestApplication;
  readonly worker: INestApplicationContext;
  readonly simulator: CarrierSimulator;
  /** Owner-level SQL (outside the row policies), to seed and to check what was stored. */
  readonly sql: DataSource;
  readonly baseUrl: string;
  readonly allianceId: string;
  readonly campaignId: string;
  /** Moves the api's clock (noon Eastern until told otherwise). */
  setClock(instant: Date): void;
  dispose(): Promise<void>;
}

export async function startPhoneBankWorld(): Promise<PhoneBankWorld> {
  const probe = await createTestContext();
  const simulator = createCarrierSimulator({
    accountSid: probe.config.carrierSimulator.accountSid,
    authToken: probe.config.carrierSimulator.authToken,
    callsPerSecond: 50,
    log: SILENT_LOG,
    scenario: {
      seed: 11,
      weights: { human: 1, machine: 0, busy: 0, 'no-answer': 0, failed: 0 },
      timings: {
        connectMs: { min: 5, max: 10 },
        ringMs: { human: { min: 150, max: 250 }, machine: { min: 10, max: 20 }, busy: { min: 10, max: 20 }, 'no-answer': { min: 10, max: 20 } },
        detectionMs: { min: 5, max: 10 },
        talkMs: { human: null, machine: null },
      },
    },
  });
  const { url: simulatorUrl } = await simulator.listen(0);
  await probe.dispose();

  const apiPort = await findFreePort();
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const context = await createTestContext({ CARRIER_SIM_URL: simulatorUrl, PUBLIC_BASE_URL: baseUrl, API_PORT: String(apiPort) });
  const options = { config: context.config, endpoints: context.endpoints };
  const worker = await createWorkerContext(DialerWorkerModule.forRoot({ ...options, logDestination: new RecordingLogDestination() }));
  const api = await createApiApplication({ ...options, logDestination: new RecordingLogDestination() });
  await api.listen(apiPort, '127.0.0.1');
  const clock = jest.spyOn(api.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
  await worker.get(QueueWorkerLifecycle).start('dialer-worker', [QueueName.Dialer]);
  const sql = worker.get(DataSource);

  const identity = new IdentityFactory(sql);
  const alliance = await identity.alliance({ name: 'Carolina Alliance' });
  const anchor = await identity.anchor(alliance.id, { name: 'Piedmont Anchor', slug: 'piedmont' });
  const member = await identity.member(alliance.id, anchor.id, { name: 'Eastside Neighbors', slug: 'eastside' });
  const passwordHash = await hash(TEST_PASSWORD, ARGON2ID_PARAMETERS);
  for (const [person, organizationId, role] of [
    [ORG_LEAD, member.id, MembershipRole.OrgLead],
    [VOLUNTEER, member.id, MembershipRole.Volunteer],
    [DATA_LEAD, null, MembershipRole.DataLead],
  ] as const) {
    const user = await identity.user({ ...person, passwordHash });
    await identity.membership(user.id, alliance.id, organizationId, role);
  }
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
  const [{ id: turfId }] = await sql.query(
    `INSERT INTO turf (alliance_id, organization_id, name, filter, status, voter_count, materialized_at)
     SELECT $1, $2, 'All', '{}', 'materialized', count(*), now() FROM voter WHERE alliance_id = $1 RETURNING id`,
    [alliance.id, anchor.id],
  );
  const [{ id: assignmentId }] = await sql.query(
    `INSERT INTO turf_assignment (alliance_id, campaign_id, turf_id, organization_id, voter_count)
     SELECT $1, $2, $3, $4, count(*) FROM voter WHERE alliance_id = $1 RETURNING id`,
    [alliance.id, campaignId, turfId, member.id],
  );
  await sql.query(
    `INSERT INTO turf_assignment_voter (campaign_id, voter_id, alliance_id, organization_id, turf_assignment_id)
     SELECT $1, id, alliance_id, $2, $3 FROM voter WHERE alliance_id = $4`,
    [campaignId, member.id, assignmentId, alliance.id],
  );
  await lead.send('post', `/api/campaigns/${campaignId}/status`, { status: 'active' }, 200);

  return {
    context,
    api,
    worker,
    simulator,
    sql,
    baseUrl,
    allianceId: alliance.id,
    campaignId,
    setClock: (instant) => clock.mockReturnValue(instant),
    dispose: async () => {
      await worker.close();
      await api.close();
      await simulator.close();
      await context.dispose();
    },
  };
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
