import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type CallScript,
  type CampaignActor,
  type CampaignRecord,
  CampaignService,
  DEFAULT_RETRY_POLICY,
  Disposition,
  DISPOSITION_DETAILS,
  isWithinCallingWindow,
  OpenZonesCache,
  organizationsServedBy,
  type RenderedScriptStep,
  renderWholeScript,
  type RetryPolicy,
  type SurveyQuestion,
  validateSurveyAnswers,
} from '@app/campaigns';
import { Clock, DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { type RowAccessScope, RowScopeRunner } from '@app/database';
import { JobName, JobProducer } from '@app/queue';
import { SegmentEvidenceService, type SegmentSummary } from '@app/segments';
import { callOutcomeOf, TelephonyPort } from '@app/telephony';
import { contactAfterDisposition } from '../attempts/contact-after-disposition.policy';
import { type ContactAttemptRecord, ContactAttemptRepository } from '../attempts/contact-attempt.repository';
import { type CallRecord, CallRepository } from '../calls/call.repository';
import { type CallingSessionRecord, CallingSessionRepository, type CallingSessionStats } from '../sessions/calling-session.repository';
import { CallCardRepository, type CardVoter } from './call-card.repository';
import { CallListLeaseRepository, type LeasedContact } from './call-list-lease.repository';

/** A calling session by id, or already loaded (the api loads it once to authorize the request). */
export type SessionReference = string | CallingSessionRecord;

const CAMPAIGN_TTL_MS = 2_000;

/** How long a voter stays with one volunteer without a disposition before others may get them. */
export const LEASE_SECONDS = 15 * 60;

/** The volunteer and what they may see: the policy's answer for the campaign-calling permission. */
export type VolunteerActor = CampaignActor & { readonly displayName: string };

export interface CallCard {
  readonly leaseId: string;
  readonly leasedUntil: Date;
  readonly attempts: number;
  readonly voter: {
    readonly id: string;
    readonly firstName: string | null;
    readonly lastName: string | null;
    readonly age: number | null;
    readonly city: string | null;
    /** Others who share the phone; they are not called separately. */
    readonly householdSize: number;
  };
  /** The last four digits only: enough to confirm a number read back, not to copy a list. */
  readonly phoneLastDigits: string;
  readonly segment: SegmentSummary | null;
  readonly script: { readonly startStepId: string; readonly steps: readonly RenderedScriptStep[] };
  readonly call: CallRecord | null;
}

export type NextVoterResult =
  | { readonly kind: 'card'; readonly card: CallCard }
  | {
      readonly kind: 'none';
      readonly reason: 'campaign_not_active' | 'session_not_active' | 'outside_calling_window' | 'no_voters_left' | 'waiting_for_dialer';
      readonly message: string;
    };

export interface DispositionInput {
  readonly disposition: string;
  readonly answers: readonly { readonly questionKey: string; readonly answer: string }[];
  readonly callBackAt: Date | null;
}

export interface SavedAttempt {
  readonly attempt: ContactAttemptRecord;
  readonly responses: readonly { questionKey: string; answer: string }[];
  /** True when this save found the attempt already saved (a retry or a double click). */
  readonly repeated: boolean;
}

/**
 * Preview calling, end to end: a volunteer's session, the next voter (leased so nobody else gets
 * them), the call placed on the volunteer's click, and the attempt saved once with its answers
 * and what it implies (retry later, do-not-call, wrong number, values evidence).
 */
@Injectable()
export class PhoneBankService {
  private readonly logger = new Logger(PhoneBankService.name);
  private readonly openZones = new OpenZonesCache();
  private readonly campaignCache = new Map<string, { campaign: CampaignRecord; until: number }>();

  constructor(
    private readonly campaigns: CampaignService,
    private readonly sessions: CallingSessionRepository,
    private readonly leases: CallListLeaseRepository,
    private readonly cards: CallCardRepository,
    private readonly calls: CallRepository,
    private readonly attempts: ContactAttemptRepository,
    private readonly rowScopes: RowScopeRunner,
    private readonly producer: JobProducer,
    private readonly telephony: TelephonyPort,
    private readonly segments: SegmentEvidenceService,
    private readonly clock: Clock,
  ) {}

  /** Starts (or resumes) the volunteer's session in a campaign, calling for one of their organizations. */
  async startSession(actor: VolunteerActor, campaignId: string, organizationId?: string): Promise<CallingSessionRecord> {
    const campaign = await this.campaigns.findForActor(actor, campaignId);
    if (campaign.channel !== 'phone') throw new DomainException(DomainErrorCode.ValidationFailed, 'This is not a phone campaign', { campaign: campaign.slug });
    if (campaign.status !== 'active') {
      throw new DomainException(DomainErrorCode.Conflict, `Campaign "${campaign.name}" is ${campaign.status}; calling opens when it is active`, {
        campaign: campaign.slug,
        status: campaign.status,
      });
    }
    const callingFor = await this.organizationToCallFor(actor, campaign, organizationId);
    return this.sessions.openOrResume(actor.allianceId, campaign.id, callingFor, actor.userId);
  }

  /** The alliance a session belongs to, to authorize against; an unknown session is not found. */
  async sessionById(sessionId: string): Promise<CallingSessionRecord> {
    const session = await this.sessions.findById(sessionId);
    if (session === null) throw new NotFoundDomainException('Calling session', sessionId);
    return session;
  }

  /** The user a session belongs to, or null: the realtime gateway checks a watcher against it. */
  async ownerOfSession(sessionId: string): Promise<string | null> {
    return (await this.sessions.findById(sessionId))?.userId ?? null;
  }

  async session(actor: VolunteerActor, sessionRef: SessionReference): Promise<{ session: CallingSessionRecord; stats: CallingSessionStats }> {
    const session = await this.ownSession(actor, sessionRef);
    return { session, stats: await this.statsOf(session) };
  }

  async pause(actor: VolunteerActor, sessionRef: SessionReference): Promise<CallingSessionRecord> {
    const session = await this.ownSession(actor, sessionRef);
    refuseWhileOnDialerCall(session, 'pause');
    // The session first: once it is out of the dialer no answer can hand it a voter, so the release below drops none mid-call.
    const changed = await this.sessions.pause(session.id);
    if (changed === null) return refuseWhileOnDialerCall(await this.sessionById(session.id), 'pause');
    await this.rowScopes.run(this.scopeOf(session), (manager) => this.leases.release(manager, session.id));
    return changed;
  }

  async resume(actor: VolunteerActor, sessionRef: SessionReference): Promise<CallingSessionRecord> {
    const session = await this.ownSession(actor, sessionRef);
    return (await this.sessions.resume(session.id)) ?? session;
  }

  async end(actor: VolunteerActor, sessionRef: SessionReference): Promise<CallingSessionRecord> {
    const session = await this.ownSession(actor, sessionRef);
    refuseWhileOnDialerCall(session, 'end');
    // The session first: once it is out of the dialer no answer can hand it a voter, so the release below drops none mid-call.
    const changed = await this.sessions.end(session.id);
    if (changed === null) return refuseWhileOnDialerCall(await this.sessionById(session.id), 'end');
    await this.rowScopes.run(this.scopeOf(session), (manager) => this.leases.release(manager, session.id));
    return changed;
  }

  /** The voter in front of the volunteer: the session's current lease, or a new one. */
  async next(actor: VolunteerActor, sessionRef: SessionReference, now = this.clock.now()): Promise<NextVoterResult> {
    const session = await this.ownSession(actor, sessionRef);
    if (session.status !== 'active') return { kind: 'none', reason: 'session_not_active', message: `Your session is ${session.status}` };
    const campaign = await this.campaignOf(actor, session.campaignId);
    if (campaign.status !== 'active') return { kind: 'none', reason: 'campaign_not_active', message: `The campaign is ${campaign.status}` };
    const zones = this.openZones.openAt(now, campaign.callingWindow);
    const unknownZoneOpen = isWithinCallingWindow(null, now, campaign.callingWindow);
    // In power and predictive campaigns voters come to the volunteer: the card is the call the dialer handed over, if any.
    const dialed = campaign.dialMode !== 'preview';
    // One transaction: the lease and what the card shows of the voter (its scope names the
    // session, so row security finds the leased household without the organization's whole turf).
    // A lease lost in a crash only frees the voter again, so its commit does not wait for the disk.
    const found = await this.rowScopes.run(
      this.scopeOf(session),
      async (manager) => {
        const mayLeaseNew = !dialed && (zones.length > 0 || unknownZoneOpen);
        const leased = await this.leases.renewOrLeaseNext(manager, {
          campaignId: campaign.id,
          organizationId: session.organizationId,
          sessionId: session.id,
          openTimeZones: zones,
          unknownZoneOpen,
          leaseSeconds: LEASE_SECONDS,
          mayLeaseNew,
        });
        if (leased === null) {
          const waitingForTheirHours = mayLeaseNew && (await this.leases.anyDue(manager, campaign.id, session.organizationId));
          return { leased, voter: null, segment: null, call: null, waitingForTheirHours };
        }
        const voter = await this.cards.voterWithOrganization(manager, session.allianceId, leased.voterId, session.organizationId);
        const segment = voter === null ? null : await this.segments.segmentWithin(manager, session.allianceId, leased.voterId);
        // Only a lease the session already held can have a call.
        const call = leased.renewed ? await this.calls.findByLease(leased.leaseId, manager) : null;
        return { leased, voter, segment, call, waitingForTheirHours: false };
      },
      { waitForDisk: false },
    );
    if (found.leased === null && dialed) {
      // Waiting for a call: the volunteer is still there (the tick takes those silent for long out of the dialer).
      await this.sessions.touchDialer(session.id);
      return {
        kind: 'none',
        reason: 'waiting_for_dialer',
        message:
          (await this.sessionById(session.id)).dialerState === 'ready'
            ? 'Ready: the dialer connects you with the next voter who answers'
            : 'Click "Ready" to take calls: the dialer connects you with voters who answer',
      };
    }
    if (found.leased === null) {
      return (zones.length === 0 && !unknownZoneOpen) || found.waitingForTheirHours
        ? { kind: 'none', reason: 'outside_calling_window', message: 'No voter may be called right now: it is outside the calling window where they live' }
        : { kind: 'none', reason: 'no_voters_left', message: 'Nobody is left to call right now; voters waiting for a retry come back later' };
    }
    if (found.voter === null) throw new NotFoundDomainException('Voter', found.leased.voterId);
    return { kind: 'card', card: this.cardOf(actor, campaign, found.leased, found.voter, found.segment, found.call) };
  }

  /** Gives the current voter back untouched (the volunteer skips them). */
  async skip(actor: VolunteerActor, sessionRef: SessionReference, leaseId: string): Promise<void> {
    const session = await this.ownSession(actor, sessionRef);
    const call = await this.calls.findByLease(leaseId);
    if (call !== null) throw new DomainException(DomainErrorCode.Conflict, 'This voter was called: record a disposition instead of skipping');
    await this.rowScopes.run(this.scopeOf(session), (manager) => this.leases.release(manager, session.id, leaseId));
  }

  /** Places the call for the leased voter: the row first, then a job asks the carrier. Twice is once. */
  async placeCall(actor: VolunteerActor, sessionRef: SessionReference, leaseId: string): Promise<CallRecord> {
    const session = await this.ownSession(actor, sessionRef);
    if (session.status !== 'active') throw new DomainException(DomainErrorCode.Conflict, `Your session is ${session.status}; resume it to call`);
    const campaign = await this.campaignOf(actor, session.campaignId);
    if (campaign.status !== 'active') throw new DomainException(DomainErrorCode.Conflict, `The campaign is ${campaign.status}`);
    if (campaign.dialMode !== 'preview') {
      throw new DomainException(DomainErrorCode.Conflict, `This campaign dials by itself (${campaign.dialMode}): click "Ready" and calls come to you`);
    }
    // The lease and the call row in one transaction: the lease cannot end between the check and the row.
    const placed = await this.rowScopes.run(this.scopeOf(session), async (manager) => {
      const lease = await this.leases.findByLease(manager, leaseId);
      if (lease === null || lease.leasedSessionId !== session.id || lease.status !== 'open') {
        throw new DomainException(DomainErrorCode.Conflict, 'This voter is no longer yours to call (the lease ended); ask for the next voter', { leaseId });
      }
      if (!isWithinCallingWindow(lease.timeZone, this.clock.now(), campaign.callingWindow)) {
        throw new DomainException(DomainErrorCode.Conflict, 'It is outside the calling window where this voter lives', { leaseId });
      }
      return this.calls.insertForLease(manager, {
        allianceId: session.allianceId,
        campaignId: campaign.id,
        campaignContactId: lease.contactId,
        callingSessionId: session.id,
        leaseId,
        toPhone: lease.phone,
        fromPhone: callerIdFor(campaign, lease.contactId),
        provider: this.telephony.provider,
      });
    });
    if ('conflict' in placed) throw new DomainException(DomainErrorCode.Conflict, 'This number is already in a call; try again in a moment', { leaseId });
    if (placed.created) await this.producer.enqueue(JobName.PlaceCall, { callId: placed.call.id }, { jobId: `place-call-${placed.call.id}` });
    return placed.call;
  }

  async hangUp(actor: VolunteerActor, sessionRef: SessionReference, callId: string): Promise<CallRecord> {
    const session = await this.ownSession(actor, sessionRef);
    const marked = await this.calls.requestHangup(callId, session.id);
    if (marked === null) {
      // Not this session's, or already over: hanging up an ended call is a no-op.
      const call = await this.calls.findById(callId);
      if (call === null || call.callingSessionId !== session.id) throw new NotFoundDomainException('Call', callId);
      return call;
    }
    await this.producer.enqueue(JobName.EndCall, { callId }, { jobId: `end-call-${callId}` });
    return marked;
  }

  async call(actor: VolunteerActor, sessionRef: SessionReference, callId: string): Promise<CallRecord> {
    const session = await this.ownSession(actor, sessionRef);
    const call = await this.calls.findById(callId);
    if (call === null || call.callingSessionId !== session.id) throw new NotFoundDomainException('Call', callId);
    return call;
  }

  /**
   * Saves the attempt for a lease with its answers, once: a repeat returns the first save. The
   * do-not-call list, the wrong-number mark and the retry schedule follow from the disposition in
   * the same transaction, and so does the values answers' update of the voter's segment.
   */
  async saveDisposition(
    actor: VolunteerActor,
    sessionRef: SessionReference,
    leaseId: string,
    input: DispositionInput,
    now = this.clock.now(),
  ): Promise<SavedAttempt> {
    const session = await this.ownSession(actor, sessionRef);
    const campaign = await this.campaignOf(actor, session.campaignId);
    const disposition = parseDisposition(input.disposition);
    const questions = (campaign.surveyQuestions ?? []) as SurveyQuestion[];
    const answers = validateSurveyAnswers(questions, input.answers);
    const callBackAt = disposition === Disposition.CallBack ? validCallBack(input.callBackAt, now) : null;
    if (disposition !== Disposition.CallBack && input.callBackAt !== null) {
      throw new DomainException(DomainErrorCode.ValidationFailed, 'callBackAt: only a call_back disposition takes a time', { field: 'callBackAt' });
    }
    return this.rowScopes.run(this.scopeOf(session), async (manager): Promise<SavedAttempt> => {
      const lease = await this.leases.findByLeaseWithCall(manager, leaseId);
      if (lease === null || lease.leasedSessionId !== session.id) {
        // A saved lease is let go, so a repeat (a retry, a double click) lands here.
        const existing = await this.attempts.findByLease(manager, leaseId);
        if (existing !== null) return { attempt: existing, responses: await this.attempts.responsesOf(manager, existing.id), repeated: true };
        throw new DomainException(DomainErrorCode.Conflict, 'This voter is no longer yours (the lease ended); nothing was saved', { leaseId });
      }
      const call = lease.call;
      const attempt = await this.attempts.insert(manager, {
        allianceId: session.allianceId,
        campaignId: campaign.id,
        organizationId: session.organizationId,
        campaignContactId: lease.contactId,
        voterId: lease.voterId,
        phone: lease.phone,
        callingSessionId: session.id,
        volunteerUserId: actor.userId,
        leaseId,
        callId: call?.id ?? null,
        outcome: call === null ? null : callOutcomeOf(call.status, call.answeredBy),
        disposition,
        callBackAt,
        scriptVersion: campaign.scriptVersion,
        startedAt: call?.createdAt ?? now,
      });
      if (attempt === null) {
        const raced = await this.attempts.findByLease(manager, leaseId);
        return { attempt: raced!, responses: await this.attempts.responsesOf(manager, raced!.id), repeated: true };
      }
      const attemptKeys = {
        id: attempt.id,
        allianceId: session.allianceId,
        campaignId: campaign.id,
        organizationId: session.organizationId,
        voterId: lease.voterId,
      };
      await this.attempts.insertResponses(manager, attemptKeys, answers);
      // Before the lease is let go: while the session holds the voter, row security finds them cheaply.
      await this.recordValuesEvidence(manager, actor, session, questions, attempt, answers);
      const policy = { ...DEFAULT_RETRY_POLICY, ...campaign.retryPolicy } as RetryPolicy;
      await this.attempts.advanceContact(
        manager,
        lease.contactId,
        leaseId,
        contactAfterDisposition(disposition, lease.attempts + 1, policy, now, callBackAt),
        disposition,
      );
      if (disposition === Disposition.DoNotCall) await this.attempts.addDoNotCall(manager, session.allianceId, lease.phone, attempt.id, actor.userId);
      if (disposition === Disposition.WrongNumber) await this.attempts.markWrongNumber(manager, session.allianceId, lease.phone, attempt.id);
      return { attempt, responses: answers, repeated: false };
    });
  }

  /** Values answers update the voter's segment in the save's own transaction: saved together or not at all. */
  private async recordValuesEvidence(
    manager: EntityManager,
    actor: VolunteerActor,
    session: CallingSessionRecord,
    questions: readonly SurveyQuestion[],
    attempt: ContactAttemptRecord,
    answers: readonly { questionKey: string; answer: string }[],
  ): Promise<void> {
    const requests = answers.flatMap((response) => {
      const question = questions.find((each) => each.key === response.questionKey);
      // Idempotent by (source, reference, question): a repeated save records nothing new.
      return question?.kind === 'values'
        ? [{ questionKey: question.valuesQuestionKey, answerKey: response.answer, source: 'phone' as const, sourceReference: attempt.id }]
        : [];
    });
    const { unknown } = await this.segments.recordAnswersWithin(manager, { allianceId: session.allianceId, userId: actor.userId }, attempt.voterId, requests);
    if (unknown.length > 0) {
      this.logger.warn({
        message: 'values answers left out of the segment: the current taxonomy does not know them (the script predates it)',
        campaignId: session.campaignId,
        questionKeys: unknown,
      });
    }
  }

  private cardOf(
    actor: VolunteerActor,
    campaign: CampaignRecord,
    leased: LeasedContact,
    voter: CardVoter,
    segment: SegmentSummary | null,
    call: CallRecord | null,
  ): CallCard {
    const script = campaign.script as CallScript | null;
    const questions = (campaign.surveyQuestions ?? []) as SurveyQuestion[];
    const now = this.clock.now();
    const steps =
      script === null
        ? []
        : renderWholeScript(script, questions, {
            voter: { firstName: voter.firstName, lastName: voter.lastName, city: voter.city, birthYear: voter.birthYear },
            volunteer: { firstName: actor.displayName.trim().split(/\s+/)[0] ?? null },
            organization: { name: voter.organizationName },
            segmentKey: segment?.key ?? null,
            now,
          });
    return {
      leaseId: leased.leaseId,
      leasedUntil: leased.leasedUntil,
      attempts: leased.attempts,
      voter: {
        id: voter.id,
        firstName: voter.firstName,
        lastName: voter.lastName,
        age: voter.birthYear === null ? null : now.getUTCFullYear() - voter.birthYear,
        city: voter.city,
        householdSize: leased.householdSize,
      },
      phoneLastDigits: leased.phone.slice(-4),
      segment,
      script: { startStepId: script?.startStepId ?? '', steps },
      call,
    };
  }

  private async statsOf(session: CallingSessionRecord): Promise<CallingSessionStats> {
    const base = await this.sessions.stats(session);
    const conversational = Object.values(Disposition).filter((each) => DISPOSITION_DETAILS[each].isConversation);
    const counts = await this.rowScopes.run(this.scopeOf(session), (manager) => this.attempts.sessionCounts(manager, session.id, conversational));
    return { ...base, ...counts };
  }

  /**
   * The session's campaign, read at most every CAMPAIGN_TTL_MS per api process: every request of a
   * calling session needs it, and a pause or a script change may take that long to be seen.
   */
  private async campaignOf(actor: VolunteerActor, campaignId: string): Promise<CampaignRecord> {
    const cached = this.campaignCache.get(campaignId);
    if (cached !== undefined && cached.until > Date.now() && cached.campaign.allianceId === actor.allianceId) return cached.campaign;
    const campaign = await this.campaigns.findForActor(actor, campaignId);
    if (this.campaignCache.size > 1000) this.campaignCache.clear();
    this.campaignCache.set(campaignId, { campaign, until: Date.now() + CAMPAIGN_TTL_MS });
    return campaign;
  }

  private async ownSession(actor: VolunteerActor, sessionRef: SessionReference): Promise<CallingSessionRecord> {
    const sessionId = typeof sessionRef === 'string' ? sessionRef : sessionRef.id;
    const session = typeof sessionRef === 'string' ? await this.sessions.findById(sessionRef) : sessionRef;
    if (session === null || session.userId !== actor.userId || session.allianceId !== actor.allianceId)
      throw new NotFoundDomainException('Calling session', sessionId);
    return session;
  }

  /** A session reads and leases only its organization's voters, whoever the volunteer is. */
  private scopeOf(session: CallingSessionRecord): RowAccessScope {
    return {
      kind: 'organizations',
      allianceId: session.allianceId,
      organizationIds: [session.organizationId],
      regionCounties: [],
      callingSessionId: session.id,
    };
  }

  private async organizationToCallFor(actor: VolunteerActor, campaign: CampaignRecord, requested: string | undefined): Promise<string> {
    const served = organizationsServedBy(actor);
    if (campaign.organizationId !== null) {
      if (actor.allianceWide || served.has(campaign.organizationId)) return campaign.organizationId;
      throw new DomainException(DomainErrorCode.Forbidden, 'This campaign belongs to another organization', { campaign: campaign.slug });
    }
    // An alliance-wide program: call for an organization holding turf in it.
    const candidates = actor.allianceWide && requested !== undefined ? [requested] : [...served];
    const withTurf = await this.sessions.organizationsWithTurf(campaign.id, candidates);
    const chosen = requested === undefined ? withTurf[0] : withTurf.find((each) => each === requested);
    if (chosen === undefined) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        actor.allianceWide && requested === undefined
          ? 'Name the organization you call for (organizationId): this program is worked by its member organizations'
          : 'None of your organizations has turf in this campaign',
        { campaign: campaign.slug },
      );
    }
    return chosen;
  }
}

/** Throws for a volunteer still in the dialer: pausing or ending would drop the voter they have, or abandon the one about to be connected. */
function refuseWhileOnDialerCall(session: CallingSessionRecord, what: 'pause' | 'end'): CallingSessionRecord {
  if (session.dialerState === null) return session;
  const first =
    session.dialerState === 'talking'
      ? 'You are on a call: finish it and save its disposition'
      : session.dialerState === 'wrap-up'
        ? 'Save the disposition of your last call first'
        : session.dialerState === 'leaving'
          ? 'Calls dialed for you are still ringing: wait a moment'
          : 'Stop taking calls first';
  throw new DomainException(DomainErrorCode.Conflict, `${first}, then ${what} your session`, { sessionId: session.id, dialerState: session.dialerState });
}

function parseDisposition(value: string): Disposition {
  const known = Object.values(Disposition) as string[];
  if (!known.includes(value)) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `disposition: "${value}" is not one of ${known.join(', ')}`, { field: 'disposition' });
  }
  return value as Disposition;
}

function validCallBack(callBackAt: Date | null, now: Date): Date {
  if (callBackAt === null)
    throw new DomainException(DomainErrorCode.ValidationFailed, 'callBackAt: a call_back disposition needs the time to call back', { field: 'callBackAt' });
  if (callBackAt.getTime() <= now.getTime())
    throw new DomainException(DomainErrorCode.ValidationFailed, 'callBackAt: the time to call back must be in the future', { field: 'callBackAt' });
  if (callBackAt.getTime() > now.getTime() + 60 * 24 * 3600_000) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'callBackAt: at most 60 days ahead', { field: 'callBackAt' });
  }
  return callBackAt;
}

/** The same voter always sees the same number: a second call from a stranger's number is less likely answered. */
function callerIdFor(campaign: CampaignRecord, contactId: string): string {
  if (campaign.callerIds.length === 0) throw new DomainException(DomainErrorCode.Conflict, 'The campaign has no caller id to call from');
  return campaign.callerIds[Number(BigInt(contactId) % BigInt(campaign.callerIds.length))];
}
