import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import type { CallProgress } from './call-card';
import { voterNameOf } from './call-card';
import { formatSpan, isCallLive, isCallOver, mergeCall } from './call-status';
import { CallWorkspace } from './call-workspace';
import { ClickerPanel } from './clicker-panel';
import {
  type CallableCampaign,
  type Call,
  type CallCard,
  type CallingSession as Session,
  getCall,
  getSession,
  getVoiceAccess,
  hangUp,
  type NextVoter,
  nextVoter,
  placeCall,
  type SavedAttempt,
  type SessionStats,
  setDialerState,
  setSessionStatus,
  skipVoter,
  type VoiceAccess,
} from './calling.client';
import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { describeRefusal } from './segments.client';
import { type CallStateMessage, useCallStateFeed } from './use-call-state-feed';
import { useNow } from './use-now';

/** How often the call is read over HTTP while the live feed is down and a call is on. */
const FALLBACK_POLL_MS = 3_000;
/** While ready in a dialer campaign, how often the card is asked for besides the live feed's news of a connected call. */
const DIALER_POLL_MS = 2_000;
const NO_CALL: CallProgress = { call: null, connectedAt: null, endedAt: null };

/** The call after news of it, noting when the browser first saw it connect and end (the timer counts from there). */
function progressWith(current: CallProgress, call: Call): CallProgress {
  const now = Date.now();
  return {
    call,
    connectedAt: current.connectedAt ?? (call.status === 'in-progress' ? now : null),
    endedAt: current.endedAt ?? (isCallOver(call.status) ? now : null),
  };
}

export interface SessionSummary {
  readonly campaignName: string;
  readonly stats: SessionStats | null;
}

/**
 * A volunteer's calling session: the session bar (status, totals, pause and end), then one voter
 * at a time, or, when there is nobody to call, why not. The session owns the live feed of call
 * state, which outlives each voter's card; a reconnect reads the current call back over HTTP.
 */
export function CallingSession({
  campaign,
  initialSession,
  onEnded,
}: {
  campaign: CallableCampaign;
  initialSession: Session;
  onEnded: (summary: SessionSummary) => void;
}) {
  const [session, setSession] = useState(initialSession);
  const [stats, setStats] = useState<{ stats: SessionStats; at: number } | null>(null);
  const [next, setNext] = useState<NextVoter | null>(null);
  const [loading, setLoading] = useState(false);
  const [progress, setProgress] = useState<CallProgress>(NO_CALL);
  const [pending, setPending] = useState<'calling' | 'hangingUp' | 'skipping' | null>(null);
  const [changingSession, setChangingSession] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [voice, setVoice] = useState<VoiceAccess | null>(null);
  // Call news can beat the answer to "call" (whose id it carries): kept until that answer arrives.
  const early = useRef(new Map<string, CallStateMessage>());
  const card = next?.kind === 'card' ? next.card : null;
  const live = isCallLive(progress.call);
  // Power and predictive: no voter is asked for; the dialer hands one over when they answer.
  const waitingForDialer = next?.kind === 'none' && next.reason === 'waiting_for_dialer';
  const [changingDialer, setChangingDialer] = useState(false);
  // Asked to stop while a voter was being connected: they finish this call, then the save takes them out of the dialer.
  const [stopAfterCall, setStopAfterCall] = useState(false);
  // Where the volunteer's request to stop stands, as of now rather than as of a render: a poll sent
  // before the click may answer after it, and a voter it brings is then their last.
  const stopping = useRef<'no' | 'asked' | 'last-voter'>('no');
  const lastVoterShown = () => stopping.current === 'last-voter';

  const refreshStats = useCallback(
    (signal?: AbortSignal) =>
      getSession(session.id, signal).then(
        (answer) => {
          if (answer.stats !== undefined) setStats({ stats: answer.stats, at: Date.now() });
        },
        // The totals are a courtesy: calling goes on without them.
        () => undefined,
      ),
    [session.id],
  );

  const loadNext = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const answer = await nextVoter(session.id);
      early.current.clear();
      setNext(answer);
      setProgress(answer.kind === 'card' && answer.card.call !== null ? progressWith(NO_CALL, answer.card.call) : NO_CALL);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }, [session.id]);

  useEffect(() => {
    const controller = new AbortController();
    void refreshStats(controller.signal);
    getVoiceAccess(session.id, controller.signal).then(setVoice, (failure: unknown) => {
      if (!isAbortError(failure)) setVoice(null);
    });
    // Once per session: later voters are asked for by the volunteer's own actions (save, skip, resume).
    if (initialSession.status === 'active') void loadNext();
    return () => controller.abort();
  }, [session.id]);

  const applyCall = useCallback((call: Call) => {
    setProgress((current) => (current.call === null || current.call.id !== call.id ? current : progressWith(current, mergeCall(current.call, call))));
  }, []);

  const rereadCall = useCallback(() => {
    const call = progress.call;
    if (call === null || !isCallLive(call)) return;
    getCall(session.id, call.id).then(applyCall, () => undefined);
  }, [progress.call, session.id, applyCall]);

  /** Quietly, while ready: the card once the dialer has connected a voter, with nothing shown in between. */
  const pollDialer = useCallback(async () => {
    try {
      const answer = await nextVoter(session.id);
      if (answer.kind !== 'card') {
        // The session says when a leaving volunteer's last line has gone, or that a long-silent one (a sleeping laptop) was taken out.
        const current = await getSession(session.id);
        setSession(current);
        if (current.dialerState === null && session.dialerState === 'ready' && stopping.current === 'no')
          setNotice('You were away for a while, so the calls stopped. Click Ready to take calls again.');
        return;
      }
      early.current.clear();
      setNext(answer);
      setProgress(answer.card.call !== null ? progressWith(NO_CALL, answer.card.call) : NO_CALL);
      if (stopping.current !== 'no') {
        stopping.current = 'last-voter';
        setStopAfterCall(true);
        setNotice('One more voter was connected as you stopped. Finish this call; saving it stops the calls.');
      } else setNotice(null);
      setSession((current) => ({ ...current, dialerState: 'talking' }));
    } catch {
      // The next poll, or the feed, tries again.
    }
  }, [session.id, session.dialerState]);

  const feed = useCallStateFeed(
    session.id,
    (message) => {
      const call = progress.call;
      if (call !== null && call.id === message.callId) applyCall({ ...call, ...message });
      else {
        early.current.set(message.callId, message);
        // News of a call this screen does not know: the dialer just connected a voter.
        if (waitingForDialer) void pollDialer();
      }
    },
    rereadCall,
  );

  useEffect(() => {
    if (!waitingForDialer || (session.dialerState !== 'ready' && session.dialerState !== 'leaving') || session.status !== 'active') return;
    const timer = setInterval(() => void pollDialer(), DIALER_POLL_MS);
    return () => clearInterval(timer);
  }, [waitingForDialer, session.dialerState, session.status, pollDialer]);

  async function changeDialerState(state: 'ready' | 'not-ready') {
    setChangingDialer(true);
    setError(null);
    stopping.current = state === 'not-ready' ? 'asked' : 'no';
    try {
      const changed = await setDialerState(session.id, state);
      // The answer came after a poll brought the voter connected as they clicked: that card and its notice stay.
      if (lastVoterShown()) return;
      setSession(changed);
      setStopAfterCall(false);
      setNotice(state === 'ready' ? 'Ready: stay by your headset, the next voter who answers comes to you.' : null);
      if (state === 'ready') void pollDialer();
    } catch (failure) {
      const current = await getSession(session.id).catch(() => null);
      if (state === 'not-ready' && (current?.dialerState === 'talking' || current?.dialerState === 'wrap-up')) {
        // A voter was connected as they clicked: theirs to finish; saving it takes the volunteer out.
        setSession(current);
        setStopAfterCall(true);
        setNotice('A voter was just connected to you. Finish this call; saving it stops the calls.');
        void pollDialer();
      } else {
        // Refused: the volunteer is where they were.
        stopping.current = 'no';
        setError(describeRefusal(failure));
      }
    } finally {
      setChangingDialer(false);
    }
  }

  // Without the feed, a live call is read every few seconds so the screen still follows it.
  useEffect(() => {
    if (feed === 'open' || !live) return;
    const timer = setInterval(rereadCall, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [feed, live, rereadCall]);

  async function call() {
    if (card === null || pending !== null) return;
    setPending('calling');
    setError(null);
    try {
      const placed = await placeCall(session.id, card.leaseId);
      const heard = early.current.get(placed.id);
      const merged = heard === undefined ? placed : mergeCall(placed, heard);
      setProgress((current) => (current.call === null ? progressWith(current, merged) : current));
      void refreshStats();
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  async function hangUpCall() {
    const current = progress.call;
    if (current === null || pending !== null) return;
    setPending('hangingUp');
    setError(null);
    try {
      applyCall(await hangUp(session.id, current.id));
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  async function skip() {
    if (card === null || pending !== null) return;
    setPending('skipping');
    setError(null);
    try {
      await skipVoter(session.id, card.leaseId);
      setNotice(`Skipped ${voterNameOf(card)}; they go back to the list for someone else.`);
      await loadNext();
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  function saved(attempt: SavedAttempt, savedCard: CallCard) {
    const label = savedCard.dispositions.find((option) => option.value === attempt.disposition)?.label ?? attempt.disposition;
    const answers = attempt.answers.length === 0 ? '' : ` with ${attempt.answers.length === 1 ? 'one answer' : `${attempt.answers.length} answers`}`;
    setNotice(`Saved ${voterNameOf(savedCard)}: ${label}${answers}.`);
    // The saved card goes at once: should the next one fail to load, the way to retry shows instead of a card stuck saving.
    setNext(null);
    setProgress(NO_CALL);
    void refreshStats();
    // In a dialer campaign saving made the volunteer ready again (or not): the session says which.
    setSession((current) => ({ ...current, dialerState: current.dialerState === null ? null : stopAfterCall ? null : 'ready' }));
    getSession(session.id).then(setSession, () => undefined);
    if (stopAfterCall) {
      stopping.current = 'no';
      setStopAfterCall(false);
      setNotice(`Saved ${voterNameOf(savedCard)}. You are not taking calls.`);
    }
    void loadNext();
  }

  async function changeSession(status: 'active' | 'paused' | 'ended') {
    setChangingSession(true);
    setError(null);
    try {
      const changed = await setSessionStatus(session.id, status);
      setSession(changed);
      if (status === 'ended') {
        const final = await getSession(session.id).catch(() => null);
        onEnded({ campaignName: campaign.name, stats: final?.stats ?? stats?.stats ?? null });
        return;
      }
      void refreshStats();
      if (status === 'paused') {
        setNext(null);
        setProgress(NO_CALL);
        setNotice('Paused. Your voter went back to the list; resume when you are ready.');
      } else {
        setNotice('Welcome back.');
        await loadNext();
      }
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setChangingSession(false);
    }
  }

  // A voter called but not saved stays with the volunteer: pausing or ending would drop what happened.
  const holdsCalledVoter = progress.call !== null;
  // In the dialer a voter may be connected any moment: out of it first.
  const inDialer = !holdsCalledVoter && session.dialerState !== null;
  const paused = session.status === 'paused';

  return (
    <>
      <section className="panel session-bar" aria-labelledby="session-title">
        <div className="session-title">
          <h2 id="session-title">{campaign.name}</h2>
          <span className={`status-badge ${paused ? 'status-queued' : 'status-succeeded'}`}>{paused ? 'Paused' : 'Calling'}</span>
        </div>
        <SessionTotals stats={stats} ticking={!paused} />
        <div className="session-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void changeSession(paused ? 'active' : 'paused')}
            disabled={changingSession || holdsCalledVoter || inDialer || pending !== null}
            aria-describedby={holdsCalledVoter || inDialer ? 'session-hold-hint' : undefined}
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void changeSession('ended')}
            disabled={changingSession || holdsCalledVoter || inDialer || pending !== null}
            aria-describedby={holdsCalledVoter || inDialer ? 'session-hold-hint' : undefined}
          >
            End session
          </button>
        </div>
        {(holdsCalledVoter || inDialer) && (
          <p id="session-hold-hint" className="hint session-hint">
            {holdsCalledVoter ? 'Save this call before pausing or ending.' : 'Stop taking calls before pausing or ending.'}
          </p>
        )}
      </section>

      <p role="status" className="form-notice page-notice">
        {notice}
      </p>
      <FormError error={error} onRetry={card === null && !paused ? () => void loadNext() : undefined} />

      {paused ? (
        <QuietPanel title="Your session is paused" onMount>
          <p>Take your time. When you resume, the next voter is waiting.</p>
        </QuietPanel>
      ) : card !== null ? (
        <CallWorkspace
          key={card.leaseId}
          sessionId={session.id}
          card={card}
          progress={progress}
          pending={pending}
          feed={feed}
          voice={voice}
          onCall={() => void call()}
          onHangUp={() => void hangUpCall()}
          onSkip={() => void skip()}
          onSaved={saved}
          readyForNext={stopAfterCall ? false : undefined}
        />
      ) : waitingForDialer ? (
        <>
          <WaitingForDialer
            state={session.dialerState}
            changing={changingDialer}
            onReady={() => void changeDialerState('ready')}
            onStop={() => void changeDialerState('not-ready')}
          />
          {/* Predictive never dials a mobile or unknown number by itself: volunteers between calls approve them, one click each. */}
          {campaign.dialMode === 'predictive' && <ClickerPanel sessionId={session.id} />}
        </>
      ) : next?.kind === 'none' ? (
        <NobodyToCall
          reason={next.reason}
          message={next.message}
          hours={formatCallingHours(campaign.callingWindow)}
          checking={loading}
          onCheck={() => void loadNext()}
        />
      ) : (
        loading && (
          <p className="muted" role="status">
            Finding your next voter…
          </p>
        )
      )}
    </>
  );
}

/** Calls, conversations and time: the session's totals, the session time ticking on between reads. */
function SessionTotals({ stats, ticking }: { stats: { stats: SessionStats; at: number } | null; ticking: boolean }) {
  const now = useNow(ticking && stats !== null, 15_000);
  if (stats === null) return <p className="muted small session-totals">Totals load in a moment.</p>;
  const sessionSeconds = stats.stats.activeSeconds + (ticking ? Math.max(0, now - stats.at) / 1000 : 0);
  return (
    <dl className="session-totals">
      <div>
        <dt>Calls</dt>
        <dd>{stats.stats.calls}</dd>
      </div>
      <div>
        <dt>Conversations</dt>
        <dd>{stats.stats.conversations}</dd>
      </div>
      <div>
        <dt>Talk time</dt>
        <dd>{formatSpan(stats.stats.talkSeconds)}</dd>
      </div>
      <div>
        <dt>Session</dt>
        <dd>{formatSpan(sessionSeconds)}</dd>
      </div>
    </dl>
  );
}

/** An empty state in calm words, its heading taking focus so the change is heard. */
function QuietPanel({ title, onMount, children }: { title: string; onMount: boolean; children: ReactNode }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (onMount) heading.current?.focus();
  }, [onMount]);
  return (
    <section className="panel quiet-panel" aria-labelledby={id}>
      <h2 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

const NOBODY: Record<string, { title: string; words: (hours: string) => string }> = {
  outside_calling_window: {
    title: 'Nobody can be called right now',
    words: (hours) =>
      `It is outside calling hours where your voters live: this campaign calls from ${hours}, in each voter’s own time. Your session stays open; check again once the hours begin.`,
  },
  no_voters_left: {
    title: 'Everyone has been called for now',
    words: () =>
      'Thank you! Nobody on your list is waiting for a call at the moment. Voters who did not pick up or asked to be called back come back when their time comes.',
  },
  campaign_not_active: {
    title: 'This campaign is not taking calls',
    words: () => 'Its leads have paused or finished it. Thank you for your time; your organization will let you know when calling opens again.',
  },
};

/**
 * Power and predictive calling between calls: ready (the dialer is ringing voters for you, the
 * first who answers is connected straight away, with their card) or not taking calls.
 */
function WaitingForDialer({ state, changing, onReady, onStop }: { state: Session['dialerState']; changing: boolean; onReady: () => void; onStop: () => void }) {
  const ready = state === 'ready';
  const since = useRef(Date.now());
  useEffect(() => {
    since.current = Date.now();
  }, [ready]);
  const now = useNow(ready, 1_000);
  const waited = ready ? Math.max(0, Math.round((now - since.current) / 1000)) : 0;
  return (
    <QuietPanel title={ready ? 'Ready for the next voter' : state === 'leaving' ? 'Stopping the calls' : 'Take calls when you are ready'} onMount>
      {state === 'leaving' ? (
        <p>A call already ringing for you may still connect in the next few seconds: stay on your headset until this says you are done.</p>
      ) : ready ? (
        <p>
          The dialer is calling voters for you. When one answers, they are connected at once and their card opens here: greet them right away.{' '}
          <span className="muted">Waiting {formatSpan(waited)}.</span>
        </p>
      ) : (
        <p>This campaign dials for you. Put your headset on, then click Ready: voters who pick up are connected to you one at a time.</p>
      )}
      <div className="actions">
        {ready ? (
          <button type="button" className="secondary" onClick={onStop} disabled={changing}>
            {changing ? 'Stopping…' : 'Stop taking calls'}
          </button>
        ) : (
          <button type="button" className="call-button" onClick={onReady} disabled={changing}>
            {changing ? 'Getting ready…' : 'Ready'}
          </button>
        )}
      </div>
    </QuietPanel>
  );
}

function NobodyToCall({
  reason,
  message,
  hours,
  checking,
  onCheck,
}: {
  reason: string;
  message: string;
  hours: string;
  checking: boolean;
  onCheck: () => void;
}) {
  const known = NOBODY[reason];
  return (
    <QuietPanel title={known?.title ?? 'Nobody to call right now'} onMount>
      <p>{known === undefined ? message : known.words(hours)}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCheck} disabled={checking}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
      </div>
    </QuietPanel>
  );
}
