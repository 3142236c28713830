import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@app/testing';
import { auditCampaign, campaignFingerprint, postStatusCallback } from './dialer-audit.util';
import { type DialerCampaign, type DialerStack, seedDialerCampaign, startDialerStack } from './dialer-stack.util';
import { signInMemberVolunteers } from './campaign-seed.util';
import { SimulatedVolunteer } from './simulated-volunteer.util';

const VOTERS = 200;
const VOLUNTEERS = 5;
const CAMPAIGN_DEADLINE_MS = 300_000;

/**
 * The dialer's "done when", end to end with real processes: the api (in this process, on a real
 * port), two dialer workers (built `dist/`, child processes competing for the pool's lock), the
 * carrier simulator (people who talk a few seconds and hang up, machines, no answer, busy,
 * failures; callbacks duplicated and overtaken), and five volunteers working over HTTP. A
 * 200-voter predictive campaign (landlines) runs until it completes: with
 * the retry policy's delays at 0, that means every voter is closed, by a volunteer's disposition
 * or because the attempts the policy allows for their last disposition ran out.
 */
describe('a predictive campaign end to end (real dialer workers, api, carrier-sim, volunteers over HTTP)', () => {
  let stack: DialerStack;
  let campaign: DialerCampaign;
  let volunteers: SimulatedVolunteer[] = [];

  beforeAll(async () => {
    stack = await startDialerStack();
    campaign = await seedDialerCampaign(stack, { voters: VOTERS, dialMode: 'predictive' });
    await stack.startWorker('dialer-worker-1');
    await stack.startWorker('dialer-worker-2');
    const agents = await signInMemberVolunteers(stack, campaign, VOLUNTEERS);
    volunteers = agents.map((agent, index) => new SimulatedVolunteer(agent, campaign.campaignId, index));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(volunteers.map((volunteer) => volunteer.halt()));
    await stack?.dispose();
  });

  const campaignState = async () => {
    const [state] = await stack.sql.query(
      `SELECT count(*) FILTER (WHERE status <> 'done')::int AS open, count(*) FILTER (WHERE lease_id IS NOT NULL)::int AS leased,
              (SELECT count(*)::int FROM call WHERE campaign_id = $1 AND ended_at IS NULL) AS live,
              (SELECT count(*)::int FROM provider_event WHERE applied_at IS NULL AND kind = 'call_status') AS unapplied
         FROM campaign_contact WHERE campaign_id = $1`,
      [campaign.campaignId],
    );
    return state as { open: number; leased: number; live: number; unapplied: number };
  };

  it('should close every voter with exactly the attempts the retry policy allows, and duplicate or late callbacks change nothing', async () => {
    const started = Date.now();
    await Promise.all(volunteers.map((volunteer) => volunteer.start()));
    let last = await campaignState();
    try {
      await waitUntil(
        async () => {
          last = await campaignState();
          return last.open === 0 && last.leased === 0 && last.live === 0 && last.unapplied === 0 ? true : undefined;
        },
        'every voter of the campaign to be closed',
        CAMPAIGN_DEADLINE_MS,
      );
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; at the end: ${JSON.stringify(last)}; volunteers' problems: ${JSON.stringify(volunteers.map((each) => each.problems))}\n` +
          stack.workers.map((worker) => `${worker.label}: ${worker.errorTail(10)}`).join('\n'),
        { cause: error },
      );
    }
    const campaignSeconds = (Date.now() - started) / 1000;
    await Promise.all(volunteers.map((volunteer) => volunteer.stop()));

    const audit = await auditCampaign(stack.sql, stack.simulator, campaign.campaignId, campaign.retryPolicy);
    process.stdout.write(
      `${JSON.stringify({ test: 'dialer-campaign', campaignSeconds, ...audit.figures, abandonRate: Number(audit.figures.abandonRate.toFixed(4)) })}\n`,
    );
    expect(audit.violations).toEqual([]);
    expect(volunteers.flatMap((volunteer) => volunteer.problems)).toEqual([]);
    expect(audit.figures.contacts).toBe(VOTERS);
    // The faults were really exercised: the carrier sent duplicates and reordered callbacks, and people were put through.
    expect(audit.figures.callbacks.duplicated).toBeGreaterThan(0);
    expect(audit.figures.callbacks.reordered).toBeGreaterThan(0);
    expect(audit.figures.volunteerAttempts).toBeGreaterThan(0);
    // Each volunteer's saved conversations are the attempts with their dispositions, lease for lease.
    const saved: Array<{ leaseId: string; disposition: string; volunteer: boolean }> = await stack.sql.query(
      `SELECT lease_id AS "leaseId", disposition, volunteer_user_id IS NOT NULL AS volunteer FROM contact_attempt WHERE lease_id = ANY ($1)`,
      [volunteers.flatMap((volunteer) => volunteer.conversations.map((conversation) => conversation.leaseId))],
    );
    expect(saved.map((row) => `${row.leaseId}:${row.disposition}:${row.volunteer}`).sort()).toEqual(
      volunteers
        .flatMap((volunteer) => volunteer.conversations)
        .map((conversation) => `${conversation.leaseId}:${conversation.disposition}:true`)
        .sort(),
    );
    // Every call at the carrier sent its callbacks; each one it sent (repeats included) is stored once.
    const distinctCallbacks = new Set(
      stack.simulator
        .calls()
        .flatMap((call) =>
          (call.callbacks as Array<{ params: Record<string, string>; lost: boolean }>).map((each) => `${each.params.CallSid}:${each.params.SequenceNumber}`),
        ),
    );
    expect(audit.figures.providerEvents).toBe(distinctCallbacks.size);

    // Late and repeated deliveries after the campaign ended: for a sample of calls, the stored
    // terminal callback again, the first one again, and a made-up older status with a new
    // sequence number (a status the carrier "sent late"). Stored once each, applied, and nothing moves.
    const before = await campaignFingerprint(stack.sql, campaign.campaignId);
    const stored: Array<{ callId: string; payload: Record<string, string>; status: string; key: string }> = await stack.sql.query(
      `SELECT e.subject_id AS "callId", e.payload, e.status, e.event_key AS key FROM provider_event e JOIN call c ON c.id = e.subject_id
        WHERE c.campaign_id = $1 AND e.kind = 'call_status' ORDER BY e.subject_id, e.id`,
      [campaign.campaignId],
    );
    const byCall = new Map<string, typeof stored>();
    for (const event of stored) byCall.set(event.callId, [...(byCall.get(event.callId) ?? []), event]);
    const sample = [...byCall.entries()].filter(([, events]) => events.length >= 2).slice(0, 25);
    expect(sample.length).toBeGreaterThan(10);
    const eventsBefore = stored.length;
    const authToken = stack.context.config.telephony.authToken;
    for (const [callId, events] of sample) {
      const terminal = events.find((event) => ['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(event.status)) ?? events[events.length - 1];
      expect(await postStatusCallback(stack.baseUrl, authToken, callId, terminal.payload)).toBe(204);
      expect(await postStatusCallback(stack.baseUrl, authToken, callId, events[0].payload)).toBe(204);
      const older: Record<string, string> = { ...events[0].payload, CallStatus: 'ringing', SequenceNumber: '90' };
      delete older.AnsweredBy;
      expect(await postStatusCallback(stack.baseUrl, authToken, callId, older)).toBe(204);
    }
    await waitUntil(async () => ((await campaignState()).unapplied === 0 ? true : undefined), 'the late callbacks to be applied', 30_000);
    // Two ticks of the sweep: anything the late events set off (a settlement, a pacing tick) has run.
    await sleep(2_500);
    const [{ events: eventsAfter }] = await stack.sql.query(
      `SELECT count(*)::int AS events FROM provider_event e JOIN call c ON c.id = e.subject_id WHERE c.campaign_id = $1 AND e.kind = 'call_status'`,
      [campaign.campaignId],
    );
    expect(eventsAfter).toBe(eventsBefore + sample.length);
    expect(await campaignFingerprint(stack.sql, campaign.campaignId)).toEqual(before);
    expect((await auditCampaign(stack.sql, stack.simulator, campaign.campaignId, campaign.retryPolicy)).violations).toEqual([]);
  }, 420_000);
});
