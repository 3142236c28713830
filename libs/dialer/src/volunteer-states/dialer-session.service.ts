import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { JobProducer } from '@app/queue';
import { requestPacingTick } from '../call-events/dialer-call-event.service';
import type { PacingObservation } from '../pacing/pacing-statistics';
import { PacingStatisticsStore } from '../pacing-snapshot/pacing-statistics.store';
import { type DialerSessionView, type DialerStateChange, DialerSessionRepository } from './dialer-session.repository';

/**
 * A volunteer's place in the dialer, from their console: ready for the next call, talking (the
 * answer request put them there), wrapping up after the call, and ready again once the disposition
 * is saved. Each change that frees or takes a volunteer asks for a pacing tick, and the lengths of
 * conversations and wrap-ups are what the predictive pacer learns its handle times from.
 */
@Injectable()
export class DialerSessionService {
  private readonly logger = new Logger(DialerSessionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: DialerSessionRepository,
    private readonly statistics: PacingStatisticsStore,
    private readonly producer: JobProducer,
  ) {}

  /** The caller has checked that the session is the volunteer's own. Asking twice is the same as once. */
  async ready(sessionId: string): Promise<DialerSessionView> {
    const changed = await this.sessions.becomeReady(this.dataSource.manager, sessionId);
    const view = await this.viewOf(sessionId);
    if (changed === null && view.dialerState !== 'ready') throw notNow(view, 'take calls');
    if (changed !== null) await this.nudge(changed, []);
    return view;
  }

  /** Stops taking calls; a volunteer on a call or wrapping up finishes it first. */
  async stopTakingCalls(sessionId: string): Promise<DialerSessionView> {
    const changed = await this.dataSource.transaction((manager) => this.sessions.stopTakingCalls(manager, sessionId));
    const view = await this.viewOf(sessionId);
    if (changed === null && view.dialerState !== null && view.dialerState !== 'leaving') throw notNow(view, 'stop taking calls');
    return view;
  }

  /** After a saved disposition: back to ready (or out of the dialer), and the wrap-up's length learned. */
  async afterDisposition(sessionId: string, readyForNext: boolean, now = Date.now()): Promise<void> {
    const changed = await this.sessions.afterDisposition(this.dataSource.manager, sessionId, readyForNext);
    if (changed === null) return;
    await this.nudge(changed, [{ kind: 'wrap-up-ended', durationMs: sinceMs(changed, now) }]);
  }

  /** A bridged call ended (from the carrier's event): the volunteer wraps up, and the conversation's length is learned. */
  async bridgedCallEnded(callId: string, now = Date.now()): Promise<void> {
    const changed = await this.sessions.bridgedCallEnded(this.dataSource.manager, callId);
    if (changed === null) return;
    await this.nudge(changed, [{ kind: 'talk-ended', durationMs: sinceMs(changed, now) }]);
  }

  private async viewOf(sessionId: string): Promise<DialerSessionView> {
    const view = await this.sessions.view(this.dataSource.manager, sessionId);
    if (view === null) throw new NotFoundDomainException('Calling session', sessionId);
    return view;
  }

  /** What the pacer learns and a tick for the pool; neither may fail the volunteer's click (the periodic tick paces anyway). */
  private async nudge(changed: DialerStateChange, observations: readonly PacingObservation[]): Promise<void> {
    const pool = { campaignId: changed.campaignId, organizationId: changed.organizationId };
    try {
      if (observations.length > 0) await this.statistics.record(pool, observations);
      await requestPacingTick(this.producer, pool);
    } catch (error) {
      this.logger.warn({ message: 'pacing not nudged', sessionId: changed.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
}

function sinceMs(changed: DialerStateChange, now: number): number {
  return changed.previousSince === null ? 0 : Math.max(0, now - new Date(changed.previousSince).getTime());
}

function notNow(view: DialerSessionView, what: string): DomainException {
  const reason =
    view.dialMode === 'preview'
      ? 'this campaign is preview calling: ask for the next voter instead'
      : view.campaignStatus !== 'active'
        ? `the campaign is ${view.campaignStatus}`
        : view.status !== 'active'
          ? `your session is ${view.status}; resume it first`
          : view.dialerState === 'talking'
            ? 'you are on a call'
            : view.dialerState === 'wrap-up'
              ? 'save the disposition of your last call first'
              : 'your session is not taking calls';
  return new DomainException(DomainErrorCode.Conflict, `You cannot ${what} now: ${reason}`, { sessionId: view.id, dialerState: view.dialerState });
}
