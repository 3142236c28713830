import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { DEFAULT_RETRY_POLICY, type Disposition, type RetryPolicy } from '@app/campaigns';
import { contactAfterDisposition } from '@app/contacts';
import type { CarrierSimulator } from '../apps/carrier-sim/src';

const TERMINAL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
/** Every dial must start inside 08:00-21:00 of the voter's own zone. */
const LEGAL_START_MINUTE = 8 * 60;
const LEGAL_END_MINUTE = 21 * 60;

interface ContactRow {
  readonly id: string;
  readonly phone: string;
  readonly status: string;
  readonly closedReason: string | null;
  readonly attempts: number;
  readonly lastDisposition: string | null;
  readonly leaseId: string | null;
}

interface CallRow {
  readonly id: string;
  readonly contactId: string;
  readonly leaseId: string;
  readonly status: string;
  readonly sid: string | null;
  readonly toPhone: string;
  readonly endedAt: Date | null;
  readonly answeredBy: string | null;
  readonly verdict: boolean;
  readonly abandoned: boolean;
  readonly bridged: boolean;
  readonly localMinute: number | null;
  readonly createdAt: Date;
  readonly errorMessage: string | null;
}

interface AttemptRow {
  readonly contactId: string;
  readonly leaseId: string;
  readonly callId: string | null;
  readonly disposition: string;
  readonly outcome: string | null;
  readonly volunteer: boolean;
}

/** A call as the carrier simulator saw it: ground truth of what rang. */
interface CarrierCall {
  readonly sid: string;
  readonly to: string;
  readonly status: string;
  readonly callId: string | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/** What a finished (or paused) campaign looks like, and every way it breaks the dialer's promises. */
export interface CampaignAudit {
  readonly violations: string[];
  readonly figures: {
    readonly contacts: number;
    readonly calls: number;
    readonly callsThatReachedTheCarrier: number;
    readonly canceledUnplaced: number;
    readonly attempts: number;
    readonly volunteerAttempts: number;
    readonly carrierCalls: number;
    readonly liveAnswers: number;
    readonly abandoned: number;
    readonly abandonRate: number;
    readonly attemptsPerContact: Record<string, number>;
    readonly closedReasons: Record<string, number>;
    readonly callStatuses: Record<string, number>;
    readonly callbacks: Readonly<Record<string, number>>;
    readonly providerEvents: number;
  };
}

const tally = (values: readonly (string | number | null)[]): Record<string, number> =>
  values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [String(value)]: (counts[String(value)] ?? 0) + 1 }), {});

/** The call id our webhooks carry in their path: `/api/webhooks/twilio/calls/<id>` (status callback and answer URL alike). */
function callIdOf(url: unknown): string | null {
  return typeof url === 'string' ? (/\/calls\/([0-9a-f-]{36})(?:\/answer)?$/.exec(url)?.[1] ?? null) : null;
}

export function carrierCalls(simulator: CarrierSimulator): CarrierCall[] {
  return simulator.calls().map((call) => {
    const timeline = (call.timeline as Array<{ event: string; at: string }>) ?? [];
    const ended = timeline.find((entry) => entry.event === 'completed');
    return {
      sid: call.sid as string,
      to: call.to as string,
      status: call.status as string,
      callId: callIdOf(call.status_callback) ?? callIdOf(call.url),
      startedAt: timeline.length > 0 ? Date.parse(timeline[0].at) : Date.parse(String(call.date_created)),
      endedAt: ended === undefined ? null : Date.parse(ended.at),
    };
  });
}

/**
 * Audits a campaign's call list, calls and attempts against the carrier's own record:
 * - every call-list row is done and no lease is held (the campaign completed, nothing stranded);
 * - per voter, attempts recorded = calls that reached the carrier (every call but one canceled
 *   before it was asked) = the row's attempt counter, and every such call has exactly one attempt;
 * - replaying a voter's attempts through the retry policy: every attempt but the last left the voter
 *   open, the last closed them for the reason stored, and the stored last disposition is the last one;
 * - every call ended; at the carrier, each of our calls was placed at most once, one phone never had
 *   two calls live at once, and our final status is the carrier's (events never moved a call back);
 * - every dial started inside 08:00-21:00 of the voter's zone.
 */
export async function auditCampaign(
  sql: DataSource,
  simulator: CarrierSimulator,
  campaignId: string,
  retryPolicy: Partial<RetryPolicy>,
  options: { readonly expectComplete?: boolean } = {},
): Promise<CampaignAudit> {
  const violations: string[] = [];
  const contacts: ContactRow[] = await sql.query(
    `SELECT id::text, phone, status, closed_reason AS "closedReason", attempts, last_disposition AS "lastDisposition", lease_id AS "leaseId"
       FROM campaign_contact WHERE campaign_id = $1 ORDER BY id`,
    [campaignId],
  );
  const calls: CallRow[] = await sql.query(
    `SELECT id, campaign_contact_id::text AS "contactId", lease_id AS "leaseId", status, provider_call_sid AS sid, to_phone AS "toPhone",
            ended_at AS "endedAt", answered_by AS "answeredBy", verdict_at IS NOT NULL AS verdict, abandoned_at IS NOT NULL AS abandoned,
            bridged_at IS NOT NULL AS bridged, voter_local_minute AS "localMinute", created_at AS "createdAt", error_message AS "errorMessage"
       FROM call WHERE campaign_id = $1 ORDER BY created_at, id`,
    [campaignId],
  );
  const attempts: AttemptRow[] = await sql.query(
    `SELECT campaign_contact_id::text AS "contactId", lease_id AS "leaseId", call_id AS "callId", disposition, outcome,
            volunteer_user_id IS NOT NULL AS volunteer
       FROM contact_attempt WHERE campaign_id = $1 ORDER BY created_at, id`,
    [campaignId],
  );
  const policy = { ...DEFAULT_RETRY_POLICY, ...retryPolicy } as RetryPolicy;
  const reachedCarrier = (call: CallRow): boolean => !(call.status === 'canceled' && call.sid === null);
  const callsByContact = groupBy(calls, (call) => call.contactId);
  const attemptsByContact = groupBy(attempts, (attempt) => attempt.contactId);
  const attemptsByCall = groupBy(
    attempts.filter((attempt) => attempt.callId !== null),
    (attempt) => attempt.callId!,
  );

  for (const contact of contacts) {
    const own = callsByContact.get(contact.id) ?? [];
    const reached = own.filter(reachedCarrier);
    const recorded = attemptsByContact.get(contact.id) ?? [];
    if (options.expectComplete !== false && contact.status !== 'done') violations.push(`contact ${contact.id} is ${contact.status}, not done`);
    if (contact.leaseId !== null) violations.push(`contact ${contact.id} still holds lease ${contact.leaseId}`);
    if (recorded.length !== reached.length || contact.attempts !== reached.length) {
      violations.push(
        `contact ${contact.id}: ${reached.length} calls reached the carrier, ${recorded.length} attempts recorded, attempt counter ${contact.attempts}`,
      );
    }
    if (contact.status === 'done' && recorded.length === 0) violations.push(`contact ${contact.id} closed (${contact.closedReason}) without any attempt`);
    // Replay the retry policy over the attempts in the order they were written.
    recorded.forEach((attempt, index) => {
      const next = contactAfterDisposition(attempt.disposition as Disposition, index + 1, policy, new Date(), null);
      const last = index === recorded.length - 1;
      if (!last && next.status === 'done') {
        violations.push(`contact ${contact.id}: attempt ${index + 1} (${attempt.disposition}) should have closed it, yet it was called again`);
      }
      if (last && contact.status === 'done' && (next.status !== 'done' || next.reason !== contact.closedReason)) {
        violations.push(
          `contact ${contact.id}: closed as ${contact.closedReason}, but its ${index + 1} attempts (last ${attempt.disposition}) give ${next.status === 'done' ? next.reason : 'open'}`,
        );
      }
      if (last && contact.lastDisposition !== attempt.disposition) {
        violations.push(`contact ${contact.id}: last disposition stored ${contact.lastDisposition}, last attempt ${attempt.disposition}`);
      }
    });
    for (const attempt of recorded) {
      const call = own.find((each) => each.id === attempt.callId);
      if (call === undefined) violations.push(`contact ${contact.id}: attempt on lease ${attempt.leaseId} names no call of this voter (${attempt.callId})`);
      else if (call.leaseId !== attempt.leaseId) violations.push(`attempt of call ${call.id} has lease ${attempt.leaseId}, the call ${call.leaseId}`);
    }
  }
  for (const call of calls) {
    if (call.endedAt === null || !TERMINAL.has(call.status)) violations.push(`call ${call.id} is ${call.status}, ended_at ${String(call.endedAt)}`);
    const own = attemptsByCall.get(call.id) ?? [];
    if (reachedCarrier(call) && own.length !== 1) violations.push(`call ${call.id} (${call.status}) reached the carrier and has ${own.length} attempts`);
    // The attempt says what happened on the line: a person the dialer could not put through is an abandoned call, whatever arrives later.
    if (call.abandoned && own.length === 1 && own[0].outcome !== 'abandoned') {
      violations.push(`call ${call.id} was abandoned, its attempt's outcome says ${own[0].outcome}`);
    }
    if (!reachedCarrier(call) && own.length !== 0) violations.push(`call ${call.id} was canceled before the carrier was asked, yet has an attempt`);
    if (call.localMinute === null || call.localMinute < LEGAL_START_MINUTE || call.localMinute >= LEGAL_END_MINUTE) {
      violations.push(`call ${call.id} dialed at voter-local minute ${call.localMinute}, outside 08:00-21:00`);
    }
  }

  // The carrier's side: what really rang.
  const callById = new Map(calls.map((call) => [call.id, call]));
  const atCarrier = carrierCalls(simulator).filter((call) => call.callId !== null && callById.has(call.callId));
  for (const [callId, placements] of groupBy(atCarrier, (call) => call.callId!)) {
    if (placements.length > 1) violations.push(`call ${callId} was placed ${placements.length} times at the carrier`);
    const ours = callById.get(callId)!;
    const carrier = placements[0];
    if (carrier.endedAt === null) violations.push(`call ${callId} (${carrier.sid}) is still live at the carrier`);
    if (ours.sid !== null && ours.sid !== carrier.sid) violations.push(`call ${callId} stores sid ${ours.sid}, the carrier placed ${carrier.sid}`);
    // Nobody hangs up in these tests: a call the carrier canceled was cut by the dialer while it rang (the law wants 15 s).
    if (carrier.status === 'canceled') violations.push(`call ${callId} (${carrier.sid}) was canceled at the carrier while it rang`);
    if (ours.status !== carrier.status) violations.push(`call ${callId} is ${ours.status} here, ${carrier.status} at the carrier (${ours.errorMessage ?? ''})`);
  }
  for (const call of calls) {
    if (call.sid !== null && !atCarrier.some((each) => each.sid === call.sid))
      violations.push(`call ${call.id} stores sid ${call.sid} the carrier never placed`);
  }
  for (const [phone, placements] of groupBy(atCarrier, (call) => call.to)) {
    const ordered = [...placements].sort((left, right) => left.startedAt - right.startedAt);
    for (let index = 1; index < ordered.length; index += 1) {
      const previousEnd = ordered[index - 1].endedAt ?? Number.POSITIVE_INFINITY;
      if (ordered[index].startedAt < previousEnd) {
        violations.push(`phone ${phone}: ${ordered[index].sid} started while ${ordered[index - 1].sid} was still live`);
      }
    }
  }

  const [{ events }] = await sql.query(
    `SELECT count(*)::int AS events FROM provider_event WHERE kind = 'call_status' AND subject_id IN (SELECT id FROM call WHERE campaign_id = $1)`,
    [campaignId],
  );
  const liveAnswers = calls.filter((call) => call.verdict && (call.answeredBy === 'human' || call.answeredBy === 'unknown')).length;
  const abandoned = calls.filter((call) => call.abandoned).length;
  return {
    violations,
    figures: {
      contacts: contacts.length,
      calls: calls.length,
      callsThatReachedTheCarrier: calls.filter(reachedCarrier).length,
      canceledUnplaced: calls.filter((call) => !reachedCarrier(call)).length,
      attempts: attempts.length,
      volunteerAttempts: attempts.filter((attempt) => attempt.volunteer).length,
      carrierCalls: atCarrier.length,
      liveAnswers,
      abandoned,
      abandonRate: liveAnswers === 0 ? 0 : abandoned / liveAnswers,
      attemptsPerContact: tally(contacts.map((contact) => contact.attempts)),
      closedReasons: tally(contacts.map((contact) => contact.closedReason)),
      callStatuses: tally(calls.map((call) => call.status)),
      callbacks: { ...simulator.stats().callbacks },
      providerEvents: events,
    },
  };
}

/** Rows that say what the campaign did, without what a late event may legitimately touch (sequence numbers, update times). */
export async function campaignFingerprint(sql: DataSource, campaignId: string): Promise<unknown> {
  const [calls, attempts, contacts] = await Promise.all([
    sql.query(
      `SELECT id, status, answered_by, answered_at, ended_at, duration_seconds, bridged_at, abandoned_at, calling_session_id, provider_call_sid
         FROM call WHERE campaign_id = $1 ORDER BY id`,
      [campaignId],
    ),
    sql.query(`SELECT id, lease_id, call_id, disposition, outcome FROM contact_attempt WHERE campaign_id = $1 ORDER BY id`, [campaignId]),
    sql.query(`SELECT id, status, attempts, closed_reason, last_disposition, lease_id FROM campaign_contact WHERE campaign_id = $1 ORDER BY id`, [campaignId]),
  ]);
  return { calls, attempts, contacts };
}

/**
 * Posts a carrier status callback to the api as the carrier would, signed with the account's token:
 * to replay a stored one (a duplicate) or deliver a made-up older one late.
 */
export async function postStatusCallback(baseUrl: string, authToken: string, callId: string, parameters: Readonly<Record<string, string>>): Promise<number> {
  const url = `${baseUrl}/api/webhooks/twilio/calls/${callId}`;
  const signature = twilio.getExpectedTwilioSignature(authToken, url, { ...parameters });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams({ ...parameters }).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}
