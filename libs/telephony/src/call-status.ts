/** Call statuses as the carrier reports them, plus our two states before it answered the request. */
export const CALL_STATUSES = [
  'created',
  'requesting',
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const TERMINAL_CALL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** An SQL list of statuses, for `status IN …` (they are our own constants, never input). */
function sqlList(statuses: readonly CallStatus[]): string {
  return `(${statuses.map((status) => `'${status}'`).join(', ')})`;
}

/** `status IN LIVE_CALL_STATUS_SQL`: a call not over yet, from its row to the carrier's last word. */
export const LIVE_CALL_STATUS_SQL = sqlList(CALL_STATUSES.filter((status) => !TERMINAL_CALL_STATUSES.has(status)));
/** `status IN ENDED_CALL_STATUS_SQL`: a call over, however it ended. */
export const ENDED_CALL_STATUS_SQL = sqlList([...TERMINAL_CALL_STATUSES]);

/**
 * How far along a call is. Callbacks arrive duplicated and out of order; a status only ever moves
 * a call forward, and a terminal status is never replaced.
 */
const PROGRESS: Readonly<Record<CallStatus, number>> = {
  created: 0,
  requesting: 1,
  queued: 2,
  initiated: 3,
  ringing: 4,
  'in-progress': 5,
  completed: 6,
  busy: 6,
  'no-answer': 6,
  failed: 6,
  canceled: 6,
};

export function isCallStatus(value: string): value is CallStatus {
  return (CALL_STATUSES as readonly string[]).includes(value);
}

export function isTerminalCallStatus(status: CallStatus): boolean {
  return TERMINAL_CALL_STATUSES.has(status);
}

/** Whether `next` moves a call that is at `current` forward. */
export function advancesCall(current: CallStatus, next: CallStatus): boolean {
  return PROGRESS[next] > PROGRESS[current];
}

/** What a contact attempt records of the carrier's view: who answered, or why nobody did. */
export type CallOutcome = 'human' | 'machine' | 'busy' | 'no-answer' | 'failed' | 'canceled' | 'unknown';

export function callOutcomeOf(status: CallStatus, answeredBy: string | null): CallOutcome | null {
  if (answeredBy !== null) return answeredBy === 'human' ? 'human' : answeredBy === 'unknown' ? 'unknown' : 'machine';
  switch (status) {
    case 'busy':
    case 'no-answer':
    case 'failed':
    case 'canceled':
      return status;
    // Answered without machine detection: a person, as far as we can know.
    case 'in-progress':
    case 'completed':
      return 'human';
    default:
      return null;
  }
}
