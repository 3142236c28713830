import type { Call, CallStatus } from './calling.client';

/** How far along a call is: events arrive repeated and out of order, and a call only moves forward. */
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

export function isCallOver(status: CallStatus): boolean {
  return PROGRESS[status] === PROGRESS.completed;
}

/** A call placed and not over yet: the volunteer may be on the line. */
export function isCallLive(call: Call | null): boolean {
  return call !== null && !isCallOver(call.status);
}

/**
 * The call after news of it: a newer status replaces an older one, never the reverse (a late
 * "ringing" after "completed" changes nothing), while facts that arrive late (who answered, how
 * long it lasted) are kept.
 */
export function mergeCall(current: Call, news: Partial<Call> & { status: CallStatus }): Call {
  const advances = PROGRESS[news.status] > PROGRESS[current.status];
  return {
    ...current,
    status: advances ? news.status : current.status,
    answeredBy: current.answeredBy ?? news.answeredBy ?? null,
    durationSeconds: current.durationSeconds ?? news.durationSeconds ?? null,
    errorMessage: current.errorMessage ?? news.errorMessage ?? null,
    endedAt: current.endedAt ?? news.endedAt ?? null,
  };
}

export type CallTone = 'idle' | 'dialing' | 'ringing' | 'connected' | 'ended' | 'unanswered' | 'failed';

/** The state in a word or two for the screen (and the screen reader), and the colour it is shown in. */
export function describeCall(call: Call | null): { readonly label: string; readonly tone: CallTone } {
  if (call === null) return { label: 'Not called yet', tone: 'idle' };
  switch (call.status) {
    case 'created':
    case 'requesting':
    case 'queued':
    case 'initiated':
      return { label: 'Dialing…', tone: 'dialing' };
    case 'ringing':
      return { label: 'Ringing…', tone: 'ringing' };
    case 'in-progress':
      return { label: call.answeredBy === 'machine' ? 'Connected (answering machine)' : 'Connected', tone: 'connected' };
    case 'completed':
      return { label: call.answeredBy === 'machine' ? 'Call ended (answering machine)' : 'Call ended', tone: 'ended' };
    case 'busy':
      return { label: 'Busy', tone: 'unanswered' };
    case 'no-answer':
      return { label: 'No answer', tone: 'unanswered' };
    case 'canceled':
      return { label: 'Call canceled', tone: 'unanswered' };
    case 'failed':
      return { label: call.errorMessage ? `Call failed: ${call.errorMessage}` : 'Call failed', tone: 'failed' };
  }
}

/**
 * The disposition a finished call points to, offered as a starting choice the volunteer can
 * change: a busy line is busy, an unanswered one nobody home, a machine a voicemail. A
 * conversation is left for the volunteer to name (contacted, refused, call back…).
 */
export function suggestedDisposition(call: Call | null): string | null {
  if (call === null || !isCallOver(call.status)) return null;
  if (call.status === 'busy') return 'busy';
  if (call.status === 'no-answer') return 'not_home';
  if (call.answeredBy === 'machine') return 'voicemail';
  return null;
}

/** "0:07", "12:34", "1:02:03". */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** "45 s", "12 min", "1 h 5 min": a session's totals, where seconds stop mattering after the first minute. */
export function formatSpan(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
