import { useEffect, useId, useRef, useState } from 'react';
import { CallControls, type CallProgress, VoterCard } from './call-card';
import { CallScript } from './call-script';
import { answerStep, answersOnPath, continueWalk, currentStep, returnTo, type ScriptWalk, startWalk } from './call-script-walk';
import { isCallLive, suggestedDisposition } from './call-status';
import { type CallCard, type SavedAttempt, saveDisposition, type VoiceAccess } from './calling.client';
import { CALL_BACK, DispositionPicker } from './disposition-picker';
import { FormError } from './form-fields';
import { describeRefusal } from './segments.client';
import type { FeedState } from './use-call-state-feed';
import { useCallShortcuts } from './use-call-shortcuts';

/** A refused save: what to say, and what to put the focus on so the volunteer can fix it. */
interface SaveProblem {
  readonly message: string;
  readonly focus: 'dispositions' | 'callBack' | null;
}

/**
 * One voter's call from first word to saved disposition: the card, the call, the script with its
 * questions, and how it ended. Keyed by the lease, so the next voter starts from a clean slate.
 * The call's state belongs to the session (its socket outlives a card); everything the volunteer
 * enters belongs here.
 */
export function CallWorkspace({
  sessionId,
  card,
  progress,
  pending,
  feed,
  voice,
  onCall,
  onHangUp,
  onSkip,
  onSaved,
  readyForNext,
}: {
  sessionId: string;
  card: CallCard;
  progress: CallProgress;
  pending: 'calling' | 'hangingUp' | 'skipping' | null;
  feed: FeedState;
  voice: VoiceAccess | null;
  onCall: () => void;
  onHangUp: () => void;
  onSkip: () => void;
  onSaved: (saved: SavedAttempt, card: CallCard) => void;
  /** Power and predictive: false when the volunteer asked to stop taking calls after this one. */
  readyForNext?: boolean;
}) {
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const dispositionGroup = useRef<HTMLDivElement>(null);
  const callBackField = useRef<HTMLInputElement>(null);
  const [walk, setWalk] = useState<ScriptWalk>(() => startWalk(card.script));
  const [disposition, setDisposition] = useState<string | null>(null);
  const [callBackAt, setCallBackAt] = useState('');
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const { call } = progress;
  const live = isCallLive(call);
  const errorId = `${ids}-save-error`;
  // The script is worded for the voter's own segment, the only one a step's variant can name here.
  const segmentNames = new Map(card.segment === null ? [] : [[card.segment.key, card.segment.name]]);

  // A new voter is what the volunteer reads next: start there, not at the top of the page.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  // A busy line or an answering machine says how the call ended; the volunteer may still change it.
  const suggestion = suggestedDisposition(call);
  useEffect(() => {
    if (suggestion !== null) setDisposition((chosen) => chosen ?? suggestion);
  }, [suggestion]);

  useEffect(() => {
    if (problem?.focus === 'dispositions') dispositionGroup.current?.focus();
    else if (problem?.focus === 'callBack') callBackField.current?.focus();
  }, [problem]);

  function choose(value: string) {
    setProblem(null);
    setDisposition(value);
  }

  async function save() {
    if (saving) return;
    if (disposition === null) {
      setProblem({ message: 'Choose how the call ended, then save.', focus: 'dispositions' });
      return;
    }
    if (live) {
      setProblem({ message: 'Hang up before saving: the call is still on.', focus: null });
      return;
    }
    const callBack = disposition === CALL_BACK ? new Date(callBackAt) : null;
    if (callBack !== null && Number.isNaN(callBack.getTime())) {
      setProblem({ message: 'Choose when to call back.', focus: 'callBack' });
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      const saved = await saveDisposition(sessionId, {
        leaseId: card.leaseId,
        disposition,
        answers: answersOnPath(card.script, walk),
        ...(callBack === null ? {} : { callBackAt: callBack.toISOString() }),
        ...(readyForNext === undefined ? {} : { readyForNext }),
      });
      onSaved(saved, card);
    } catch (failure) {
      setProblem({ message: describeRefusal(failure), focus: null });
      setSaving(false);
    }
  }

  useCallShortcuts(
    {
      digit: (digit) => {
        const choiceOf = (at: ScriptWalk) => {
          const question = currentStep(card.script, at)?.question;
          return question == null || question.kind === 'free_text' ? undefined : question.choices[digit - 1];
        };
        if (choiceOf(walk) === undefined) return false;
        // From the walk as it is when React applies it: two quick digits answer two steps.
        setWalk((at) => {
          const choice = choiceOf(at);
          return choice === undefined ? at : answerStep(card.script, at, at.path.length - 1, choice.value);
        });
        return true;
      },
      letter: (letter) => {
        if (saving) return false;
        // Before a call "c" calls; after one it is the Contacted disposition.
        if (call === null && letter === 'c') {
          if (pending === null) onCall();
          return true;
        }
        if (letter === 'h' && live) {
          if (pending === null) onHangUp();
          return true;
        }
        const option = card.dispositions.find((each) => each.shortcutKey === letter);
        if (option === undefined) return false;
        choose(option.value);
        return true;
      },
      enter: () => {
        void save();
        return true;
      },
      space: () => {
        if (call !== null) return false;
        if (pending === null) onCall();
        return true;
      },
      arrow: (direction) => {
        const move = (at: ScriptWalk) => (direction === 'forward' ? continueWalk(card.script, at) : returnTo(at));
        if (move(walk) === walk) return false;
        setWalk(move);
        return true;
      },
    },
    true,
  );

  return (
    <div className="call-layout">
      <section className="panel call-panel" aria-labelledby={`${ids}-voter`}>
        <VoterCard card={card} headingRef={heading} headingId={`${ids}-voter`} />
        <CallControls progress={progress} pending={pending} onCall={onCall} onHangUp={onHangUp} onSkip={onSkip} feed={feed} voice={voice} />
      </section>

      <CallScript script={card.script} walk={walk} onWalk={setWalk} segmentNames={segmentNames} />

      <section className="panel outcome-panel" aria-label="Outcome">
        <DispositionPicker
          options={card.dispositions}
          chosen={disposition}
          onChoose={choose}
          callBackAt={callBackAt}
          onCallBackAt={(value) => {
            setProblem(null);
            setCallBackAt(value);
          }}
          disabled={saving}
          callBackInvalid={problem?.focus === 'callBack'}
          errorId={errorId}
          groupRef={dispositionGroup}
          callBackRef={callBackField}
        />
        <FormError error={problem?.message ?? null} id={errorId} />
        <div className="save-row">
          <button type="button" className="save-button" aria-keyshortcuts="Enter" onClick={() => void save()} disabled={saving}>
            {saving ? 'Saving…' : 'Save & next'}
          </button>
          <p className="hint">
            {live ? (
              'Hang up to save.'
            ) : (
              <>
                <kbd>Enter</kbd> also saves: the answers and how the call ended, then on to the next voter.
              </>
            )}
          </p>
        </div>
      </section>
    </div>
  );
}
