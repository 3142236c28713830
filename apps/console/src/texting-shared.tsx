import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError, isAbortError } from './api.client';
import { describeRefusal } from './segments.client';
import { type ConversationClosedReason, refusalReasonOf } from './texting.client';

/** How often the texter's inbox and the open conversation are read again (no push channel for texts yet). */
export const INBOX_REFRESH_MS = 4_000;
/** How often a lead's live figures are read again. */
export const STATS_REFRESH_MS = 3_000;

/**
 * Reads `load` now and again `intervalMs` after each answer, while `active`; stops (and aborts a
 * request under way) when the page is hidden or left. One request at a time: a slow answer delays
 * the next instead of piling requests up. `refresh` reads at once (after the texter changed something).
 */
export function usePolled<T>(
  load: ((signal: AbortSignal) => Promise<T>) | null,
  intervalMs: number,
  active: boolean,
): { data: T | null; error: string | null; refresh: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const current = useRef(load);
  useEffect(() => {
    current.current = load;
  });
  const loading = load !== null;

  useEffect(() => {
    if (!active || !loading) return;
    let stopped = false;
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      const read = current.current;
      if (read === null) return;
      controller = new AbortController();
      try {
        const answer = await read(controller.signal);
        if (stopped) return;
        setData(answer);
        setError(null);
      } catch (failure) {
        if (stopped || isAbortError(failure)) return;
        setError(describeError(failure));
      }
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      controller?.abort();
      clearTimeout(timer);
    };
  }, [intervalMs, active, loading, round]);

  return { data, error, refresh: useCallback(() => setRound((count) => count + 1), []) };
}

/**
 * A texting refusal (409 with details.reason) in words that say what happened and what to do; other
 * failures as the API put them.
 */
export function describeTextingRefusal(error: unknown): string {
  const reason = refusalReasonOf(error);
  const details = error instanceof ApiError ? (error.details ?? {}) : {};
  switch (reason) {
    case 'backlog_pending': {
      const needsMessage = Number(details.needsMessage ?? 0);
      const needsResponse = Number(details.needsResponse ?? 0);
      const parts = [
        needsMessage > 0 ? `${needsMessage} ${needsMessage === 1 ? 'voter still waits' : 'voters still wait'} for a first text` : null,
        needsResponse > 0 ? `${needsResponse} ${needsResponse === 1 ? 'reply needs' : 'replies need'} an answer` : null,
      ].filter((part) => part !== null);
      return `Finish what you have first: ${parts.length > 0 ? parts.join(' and ') : 'some of your conversations still wait'}. You get more contacts once your replies are handled.`;
    }
    case 'campaign_not_active':
      return `Texting is not open in this campaign right now (${String(details.status ?? 'not active')}). Nothing was sent; ask its organizer.`;
    case 'not_text_campaign':
      return 'This is a phone bank, not a text campaign. Choose a text campaign.';
    case 'no_sender':
      return 'The campaign has no number to text from yet. Nothing was sent; ask its organizer to add a sending number or a Messaging Service.';
    case 'no_initial_message':
      return 'The campaign has no first text written yet. Nothing was sent; ask its organizer.';
    case 'initial_message_unusable':
      return `The first text for this voter cannot be sent as written (${error instanceof ApiError ? error.message : 'its length'}). Nothing was sent; ask the campaign’s organizer to fix it.`;
    case 'wrong_status':
      return 'This voter’s first text was already dealt with (sent, or the conversation closed). Nothing was sent twice; here is the next voter.';
    case 'initial_not_sent':
      return 'Send this voter’s first text before replying to or closing the conversation.';
    case 'conversation_closed':
      return 'This conversation is closed. Nothing was sent.';
    case 'phone_blocked':
      return 'This voter may not be texted: they opted out, asked not to be contacted, or the number is bad. Nothing was sent and the conversation is closed.';
    case 'phone_already_texted':
      return 'Someone sharing this phone already got this campaign’s first text. Nothing was sent and the conversation is closed.';
    case 'window_never_opens':
      return 'The campaign’s texting hours never open where this voter lives. Nothing was sent; tell the campaign’s organizer.';
    default:
      return describeRefusal(error);
  }
}

export const CLOSED_REASON_LABELS: Record<ConversationClosedReason, string> = {
  texter: 'Closed by the texter',
  opted_out: 'Opted out',
  undeliverable: 'Undeliverable',
  invalid_number: 'Invalid number',
  not_mobile: 'Not a mobile phone',
  suppressed: 'Texted recently by another campaign',
  window: 'Texting hours passed',
};

/** An outbound text's status, as a texter reads it. */
export const TEXT_STATUS_LABELS: Readonly<Record<string, string>> = {
  created: 'Writing',
  held: 'Held',
  requesting: 'Sending',
  accepted: 'Sending',
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  undelivered: 'Undelivered',
  failed: 'Failed',
  canceled: 'Canceled',
  received: 'Received',
};

/** What the carrier's common error codes mean, for texters and leads. */
export const CARRIER_ERRORS: Readonly<Record<string, string>> = {
  '21211': 'invalid number',
  '21408': 'region not enabled',
  '21610': 'the voter unsubscribed (STOP)',
  '21614': 'not a mobile number',
  '30003': 'phone unreachable',
  '30004': 'blocked by the voter',
  '30005': 'unknown or inactive number',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier',
  '30008': 'unknown carrier error',
  '30034': 'sender not registered (10DLC)',
};

export function describeErrorCode(code: string | null): string {
  if (code === null) return 'no error code';
  const meaning = CARRIER_ERRORS[code];
  return meaning === undefined ? `error ${code}` : `error ${code}, ${meaning}`;
}
