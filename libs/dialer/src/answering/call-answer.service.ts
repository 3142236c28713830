import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException } from '@app/common';
import { CallStateChannel } from '@app/contacts';
import { RowScopeRunner } from '@app/database';
import { JobProducer } from '@app/queue';
import { answeringMachineTwiml, identificationTwiml, voterLegTwiml } from '@app/telephony';
import type { PacingObservation } from '../pacing/pacing-statistics';
import { PacingStatisticsStore } from '../pacing-snapshot/pacing-statistics.store';
import { requestPacingTick } from '../call-events/dialer-call-event.service';
import { type AnsweringCall, CallAnswerRepository } from './call-answer.repository';

/** What answering-machine detection may say (Twilio's AnsweredBy); anything else is treated as a person. */
const MACHINE_VERDICTS: ReadonlySet<string> = new Set(['machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax']);

/** Said when a campaign somehow has no identification message: the law still wants the caller named. */
const FALLBACK_IDENTIFICATION = 'Sorry, all our volunteers are busy. We will call you back another time. Goodbye.';

export type AnswerDecision = 'bridged' | 'abandoned' | 'machine';

/**
 * The carrier asks what to do with a power or predictive call once detection has judged who
 * answered. A person goes to the pool's longest-idle ready volunteer; with nobody ready, they hear
 * the campaign's identification message and the call is abandoned (and counted so); a machine gets
 * the voicemail message or a hang-up. It answers synchronously and fast, in one short transaction;
 * a repeated request for the same call (a carrier retry) gets the same decision and claims nobody else.
 */
@Injectable()
export class CallAnswerService {
  private readonly logger = new Logger(CallAnswerService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly calls: CallAnswerRepository,
    private readonly statistics: PacingStatisticsStore,
    private readonly scopes: RowScopeRunner,
    private readonly producer: JobProducer,
    private readonly channel: CallStateChannel,
  ) {}

  async answer(callId: string, parameters: Readonly<Record<string, string>>): Promise<{ twiml: string; decision: AnswerDecision; repeated: boolean }> {
    const answeredBy = parameters.AnsweredBy && parameters.AnsweredBy !== '' ? parameters.AnsweredBy : 'unknown';
    const owner = await this.calls.ownerOf(this.dataSource.manager, callId);
    if (owner === null) throw new DomainException(DomainErrorCode.NotFound, 'No power or predictive call has this id', { callId });
    await this.calls.storeRequest(this.dataSource.manager, callId, parameters);
    // The call-list row is voter data: the transaction sees only the call's own organization's, as its volunteers do.
    const scope = { kind: 'organizations' as const, allianceId: owner.allianceId, organizationIds: [owner.organizationId], regionCounties: [] };
    const outcome = await this.scopes.run(scope, async (manager) => {
      const call = await this.calls.lockDialerCall(manager, callId);
      if (call === null) throw new DomainException(DomainErrorCode.NotFound, 'No power or predictive call has this id', { callId });
      const earlier = decisionOf(call);
      if (earlier !== null) return { call, decision: earlier, sessionId: call.callingSessionId, repeated: true };
      if (MACHINE_VERDICTS.has(answeredBy)) {
        await this.calls.recordMachine(manager, call, answeredBy);
        return { call, decision: 'machine' as const, sessionId: null, repeated: false };
      }
      // A line the carrier already ended (its answer request outlived the carrier's patience) is no voter to bridge:
      // a volunteer claimed for it would sit "talking" to nobody, since the end of the call came before the bridge.
      const sessionId = call.endedAt === null ? await this.calls.claimLongestIdle(manager, call.campaignId, call.organizationId) : null;
      if (sessionId === null) {
        await this.calls.recordAbandoned(manager, call, answeredBy);
        return { call, decision: 'abandoned' as const, sessionId: null, repeated: false };
      }
      await this.calls.recordBridged(manager, call, sessionId, answeredBy);
      return { call, decision: 'bridged' as const, sessionId, repeated: false };
    });
    const { call, decision, sessionId, repeated } = outcome;
    if (!repeated) {
      // The volunteer's console hears at once that a voter is on the line (it then loads their card).
      if (decision === 'bridged' && sessionId !== null) {
        await this.channel.publish({ sessionId, callId: call.id, status: 'in-progress', answeredBy, durationSeconds: null });
      }
      await this.learn(call, decision);
    }
    return { twiml: twimlFor(call, decision, sessionId), decision, repeated };
  }

  /** What the pacer learns from this answer; a failure here must not take the answer away from a live person. */
  private async learn(call: AnsweringCall, decision: AnswerDecision): Promise<void> {
    const observations: PacingObservation[] = [];
    if (call.ringingAt !== null) {
      const resolvedAfterMs = Date.now() - new Date(call.ringingAt).getTime();
      observations.push({ kind: 'line-ended', outcome: decision === 'machine' ? 'machine' : 'human', resolvedAfterMs });
    }
    if (decision !== 'machine') observations.push({ kind: 'live-answer', abandoned: decision === 'abandoned' });
    const pool = { campaignId: call.campaignId, organizationId: call.organizationId };
    await this.statistics.record(pool, observations).catch((error: unknown) => {
      this.logger.warn({ message: 'pacing observation not recorded', callId: call.id, error: error instanceof Error ? error.message : String(error) });
    });
    // A volunteer just became busy, or a line resolved: the pool is paced again now rather than at its next tick.
    await requestPacingTick(this.producer, pool).catch((error: unknown) => {
      this.logger.warn({ message: 'pacing tick not requested', callId: call.id, error: error instanceof Error ? error.message : String(error) });
    });
  }
}

function decisionOf(call: AnsweringCall): AnswerDecision | null {
  if (call.bridgedAt !== null) return 'bridged';
  if (call.abandonedAt !== null) return 'abandoned';
  if (call.verdictAt !== null) return 'machine';
  return null;
}

function twimlFor(call: AnsweringCall, decision: AnswerDecision, sessionId: string | null): string {
  switch (decision) {
    case 'bridged':
      return voterLegTwiml(sessionId as string);
    case 'abandoned':
      return identificationTwiml(call.identificationMessage ?? FALLBACK_IDENTIFICATION);
    case 'machine':
      return answeringMachineTwiml(call.voicemailMessage);
  }
}
