import { advancesCall, type CallStatus, isCallStatus, isTerminalCallStatus } from '@app/telephony';
import type { CallStatusChange } from './call.repository';

export interface CallState {
  readonly status: CallStatus;
  readonly answeredBy: string | null;
  readonly answeredAt: Date | null;
  readonly durationSeconds: number | null;
  readonly lastSequenceNumber: number | null;
  readonly endedAt: Date | null;
  readonly ringingAt?: Date | null;
}

/** One status callback, as the carrier posted it. */
export interface CallStatusEvent {
  readonly status: string;
  readonly answeredBy: string | null;
  readonly sequenceNumber: number | null;
  readonly durationSeconds: number | null;
  readonly occurredAt: Date;
}

/**
 * The call after an event, or null when the event teaches nothing new. Events arrive repeated and
 * out of order: the status only moves forward and a terminal one stays; facts that arrive late
 * (who answered, when) are still kept, because an answered call that completed is still answered.
 */
export function callStateAfter(current: CallState, event: CallStatusEvent): CallStatusChange | null {
  const eventStatus = isCallStatus(event.status) ? event.status : null;
  const advances = eventStatus !== null && advancesCall(current.status, eventStatus);
  const status = advances ? eventStatus : current.status;
  // The answer time comes from the answered event only: a terminal event that repeats AnsweredBy
  // arrives later and would otherwise fix a wrong time when it comes first.
  const terminalEvent = eventStatus !== null && isTerminalCallStatus(eventStatus);
  const answered = eventStatus === 'in-progress' || (event.answeredBy !== null && !terminalEvent);
  const change: CallStatusChange = {
    status,
    answeredBy: current.answeredBy ?? event.answeredBy,
    answeredAt: current.answeredAt ?? (answered ? event.occurredAt : null),
    durationSeconds: current.durationSeconds ?? (eventStatus !== null && isTerminalCallStatus(eventStatus) ? event.durationSeconds : null),
    lastSequenceNumber:
      Math.max(current.lastSequenceNumber ?? -1, event.sequenceNumber ?? -1) < 0
        ? null
        : Math.max(current.lastSequenceNumber ?? -1, event.sequenceNumber ?? -1),
    endedAt: current.endedAt ?? (advances && isTerminalCallStatus(status) ? event.occurredAt : null),
    // When the carrier started it: the earliest initiated or ringing event, in whatever order they arrive.
    ringingAt: eventStatus === 'initiated' || eventStatus === 'ringing' ? earlier(current.ringingAt ?? null, event.occurredAt) : (current.ringingAt ?? null),
  };
  const same =
    change.status === current.status &&
    change.answeredBy === current.answeredBy &&
    change.answeredAt === current.answeredAt &&
    change.durationSeconds === current.durationSeconds &&
    change.lastSequenceNumber === current.lastSequenceNumber &&
    change.endedAt === current.endedAt &&
    change.ringingAt?.getTime() === (current.ringingAt ?? undefined)?.getTime();
  return same ? null : change;
}

function earlier(known: Date | null, seen: Date): Date {
  return known !== null && known.getTime() <= seen.getTime() ? known : seen;
}
