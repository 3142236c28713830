import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { MembershipRole } from '@app/identity';
import { RecordingLogDestination } from '@app/observability';
import { QueueName, QueueWorkerLifecycle } from '@app/queue';
import { createWorkerContext } from '@app/runtime';
import { createOwnerApplication, importSyntheticVoters, signInAs, type TestContext } from '@app/testing';
import type { CarrierSimulator } from '../../apps/carrier-sim/src';
import { createApiApplication } from '../../apps/api/src/api-application.factory';
import { SmsWorkerModule } from '../../apps/sms-worker/src/sms-worker.module';
import { startCarrierContext } from '../carrier-context.util';
import { assignEveryVoterAsTurf, NOON_EASTERN } from '../phone-bank-stack.util';
import { type Person, seedCarolinaAlliance } from './phone-bank-world.util';

export const TEXTING_LEAD: Person = { email: 'lena.lead@example.test', displayName: 'Lena Lead' };
export const TEXTER: Person = { email: 'tess.texter@example.test', displayName: 'Tess Texter' };
export const ADMIN: Person = { email: 'ada.admin@example.test', displayName: 'Ada Admin' };

export const SENDING_NUMBERS = ['+19195550101', '+19195550102'];
export const CANNED_WHO = {
  key: 'who_is_this',
  title: 'Who is this?',
  body: 'I’m {volunteer.first_name}, a volunteer with Eastside Neighbors. We’re talking with neighbors about the vote on Nov 3.',
};
export const SUPPORT_QUESTION = {
  key: 'support',
  kind: 'single_choice',
  prompt: 'Will they vote yes on Measure A?',
  choices: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
    { value: 'undecided', label: 'Undecided' },
  ],
};

/**
 * Texting in this process, as the browser test needs it: the carrier simulator (delivering texts and
 * posting voters' replies, signed, to the api's webhook), the api on a real port serving the built
 * console, and the sms worker consuming its queue. Both clocks are held at noon Eastern, so the
 * voters' (New York) texting window is open whatever the hour of the run. One active text campaign,
 * set up by its org lead through the api, with a canned response and a survey question.
 */
export interface TextingWorld {
  readonly context: TestContext;
  readonly api: INestApplication;
  readonly worker: INestApplicationContext;
  readonly simulator: CarrierSimulator;
  readonly sql: DataSource;
  readonly baseUrl: string;
  readonly campaignId: string;
  readonly campaignSlug: string;
  /** Moves the api's clock (noon Eastern until told otherwise); the worker's stays at noon. */
  setApiClock(instant: Date): void;
  dispose(): Promise<void>;
}

export async function startTextingWorld(): Promise<TextingWorld> {
  // The simulator signs with the configured credentials, and the api must know the simulator's URL: credentials first.
  const { simulator, context, apiPort, baseUrl } = await startCarrierContext({
    simulator: {
      callsPerSecond: 50,
      scenario: {
        messages: { weights: { delivered: 1, undelivered: 0, failed: 0 }, sentMs: { min: 10, max: 50 }, deliveredMs: { min: 20, max: 100 } },
      },
    },
    environment: { SMS_SENDER_MESSAGES_PER_SECOND: '5', DATABASE_POOL_SIZE: '10' },
    inboundTexts: true,
  });
  const owner = await createOwnerApplication(context);
  const api = await createApiApplication({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() });
  await api.listen(apiPort, '127.0.0.1');
  const apiClock = jest.spyOn(api.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
  const worker = await createWorkerContext(
    SmsWorkerModule.forRoot({ config: context.config, endpoints: context.endpoints, logDestination: new RecordingLogDestination() }),
  );
  jest.spyOn(worker.get(Clock), 'now').mockReturnValue(NOON_EASTERN);
  const sql = worker.get(DataSource);

  const { alliance, anchor, member } = await seedCarolinaAlliance(sql, [
    [TEXTING_LEAD, 'member', MembershipRole.OrgLead],
    [TEXTER, 'member', MembershipRole.Volunteer],
    [ADMIN, 'alliance', MembershipRole.AllianceAdmin],
  ]);
  try {
    await importSyntheticVoters(owner, context, { allianceId: alliance.id, rows: 60, seed: 23 });
  } finally {
    await owner.close();
  }

  // The campaign, as an org lead sets it up through the api: the texting settings, a survey question, turf, then active.
  const lead = await signInAs(api.getHttpServer(), sql, [{ allianceId: alliance.id, organizationId: member.id, role: MembershipRole.OrgLead }]);
  const send = async (method: 'post' | 'put', path: string, body: unknown, expected: number): Promise<Record<string, unknown>> => {
    const response = await lead.agent[method](path)
      .set('X-CSRF-Token', lead.csrfToken)
      .send(body as object);
    if (response.status !== expected) throw new Error(`${method.toUpperCase()} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };
  const campaignSlug = 'fall-texts';
  const campaign = await send(
    'post',
    '/api/campaigns',
    {
      slug: campaignSlug,
      name: 'Fall texts',
      channel: 'sms',
      sendingNumbers: SENDING_NUMBERS,
      callingWindow: { start: '09:00', end: '20:00' },
      initialMessage: {
        template:
          'Hi {voter.first_name|there}, it’s {volunteer.first_name} with Eastside Neighbors. Can we count on your vote for Measure A on Nov 3? Reply STOP to opt out.',
        variants: [],
      },
      cannedResponses: [CANNED_WHO, { key: 'thanks', title: 'Thanks!', body: 'Thank you, {voter.first_name|friend}! Have a good day.' }],
    },
    201,
  );
  const campaignId = campaign.id as string;
  await send(
    'put',
    `/api/campaigns/${campaignId}/script`,
    {
      script: { startStepId: 'introduction', steps: [{ id: 'introduction', title: 'Introduction', text: 'Hi {voter.first_name|there}', next: null }] },
      surveyQuestions: [SUPPORT_QUESTION],
    },
    200,
  );
  await assignEveryVoterAsTurf(sql, { allianceId: alliance.id, anchorId: anchor.id, memberId: member.id, campaignId });
  await send('post', `/api/campaigns/${campaignId}/status`, { status: 'active' }, 200);
  // The synthetic voters live in North Carolina; named here so no unknown zone holds a text.
  await sql.query(`UPDATE campaign_contact SET time_zone = 'America/New_York' WHERE campaign_id = $1`, [campaignId]);
  await worker.get(QueueWorkerLifecycle).start('sms-worker', [QueueName.Sms]);

  return {
    context,
    api,
    worker,
    simulator,
    sql,
    baseUrl,
    campaignId,
    campaignSlug,
    setApiClock: (instant) => apiClock.mockReturnValue(instant),
    dispose: async () => {
      await worker.close();
      await api.close();
      await simulator.close();
      await context.dispose();
    },
  };
}
