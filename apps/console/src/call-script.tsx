import { useEffect, useId, useRef } from 'react';
import { answerStep, continueWalk, currentStep, followingStepId, returnTo, type ScriptWalk, stepOf, typeAnswer } from './call-script-walk';
import type { RenderedScript, ScriptQuestion } from './calling.client';

/** Steps left along the way the script goes without further answers (loops counted once): a sense of how long is left. */
function stepsLeft(script: RenderedScript, walk: ScriptWalk): number {
  const seen = new Set<string>();
  let step = currentStep(script, walk);
  while (step !== null) {
    const following = followingStepId(step, walk.answers);
    if (following === null || seen.has(following)) break;
    seen.add(following);
    step = stepOf(script, following);
  }
  return seen.size;
}

function answerLabel(question: ScriptQuestion, answer: string | undefined): string | null {
  if (answer === undefined || answer.trim() === '') return null;
  return question.choices.find((choice) => choice.value === answer)?.label ?? answer;
}

/**
 * The script as the volunteer reads it: the step being read in full with its question, the steps
 * already read as one line each (with the answer given, and a way back), and how far along the
 * call is. Answering a choice moves on to where that answer leads; a step without a question,
 * a typed answer or a question the voter passes on moves on with "Continue".
 */
export function CallScript({
  script,
  walk,
  onWalk,
  segmentNames,
}: {
  script: RenderedScript;
  walk: ScriptWalk;
  onWalk: (walk: ScriptWalk) => void;
  /** Names of the segments a step may be worded for, by key. */
  segmentNames: ReadonlyMap<string, string>;
}) {
  const ids = useId();
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const step = currentStep(script, walk);
  const position = walk.path.length;
  const shown = useRef<string | null>(null);

  // A new step replaces the one whose answer was just clicked: reading goes on from its title,
  // unless the volunteer is busy elsewhere on the page (the call buttons, a disposition).
  const stepKey = `${position}:${step?.stepId ?? ''}`;
  useEffect(() => {
    const before = shown.current;
    shown.current = stepKey;
    if (before === null || before === stepKey) return;
    const active = document.activeElement;
    if (active === null || active === document.body || panel.current?.contains(active)) heading.current?.focus();
  }, [stepKey]);

  if (step === null) {
    return (
      <section className="panel script-panel" aria-labelledby={`${ids}-title`}>
        <h2 id={`${ids}-title`}>Script</h2>
        <p className="muted">This campaign has no script yet. Introduce yourself and your organization, and ask your lead for the words to use.</p>
      </section>
    );
  }

  const left = stepsLeft(script, walk);
  const following = followingStepId(step, walk.answers);
  const question = step.question;
  const answer = question === null ? undefined : walk.answers[question.key];
  const answered = answer !== undefined && answer.trim() !== '';
  const earlier = walk.path.slice(0, -1);

  return (
    <section ref={panel} className="panel script-panel" aria-labelledby={`${ids}-title`}>
      <div className="script-header">
        <h2 id={`${ids}-title`}>Script</h2>
        <p className="muted small" id={`${ids}-progress`}>
          Step {position}
          {left > 0 ? ` · ${left} more to go` : ' · the last one'}
        </p>
      </div>
      <progress className="script-progress" max={position + left} value={position} aria-labelledby={`${ids}-progress`} />

      {earlier.length > 0 && (
        <ol className="script-trail" aria-label="Steps read so far">
          {earlier.map((stepId, index) => {
            const read = stepOf(script, stepId);
            if (read === null) return null;
            const given = read.question === null ? null : answerLabel(read.question, walk.answers[read.question.key]);
            return (
              <li key={`${index}-${stepId}`}>
                <span className="script-trail-title">{read.title}</span>
                {given !== null && <span className="script-trail-answer">{given}</span>}
                <button type="button" className="link-button" onClick={() => onWalk(returnTo(walk, index))}>
                  Back<span className="visually-hidden"> to {read.title}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}

      <article className="script-step" aria-labelledby={`${ids}-step`}>
        <h3 id={`${ids}-step`} ref={heading} tabIndex={-1}>
          {step.title}
        </h3>
        {step.variantSegmentKey !== null && (
          <p className="variant-note">Worded for {segmentNames.get(step.variantSegmentKey) ?? step.variantSegmentKey.replace(/_/g, ' ')}</p>
        )}
        <p className="script-text">{step.text}</p>
        {question !== null && (
          <QuestionField
            key={`${position}-${question.key}`}
            idPrefix={`${ids}-q${position}`}
            question={question}
            answer={answer}
            onChoose={(value) => onWalk(answerStep(script, walk, position - 1, value))}
            onSelect={(value) => onWalk(typeAnswer(walk, question.key, value))}
          />
        )}
        <div className="script-actions">
          {position > 1 && (
            <button type="button" className="secondary" aria-keyshortcuts="ArrowLeft" onClick={() => onWalk(returnTo(walk))}>
              Back
            </button>
          )}
          {following === null ? (
            <p className="script-end">End of the script: thank them, then hang up.</p>
          ) : (
            <button type="button" className="secondary" aria-keyshortcuts="ArrowRight" onClick={() => onWalk(continueWalk(script, walk))}>
              {question === null || answered ? 'Continue' : 'Skip question'}
              <span className="muted small"> → {stepOf(script, following)?.title ?? following}</span>
            </button>
          )}
        </div>
      </article>
    </section>
  );
}

/**
 * A choice question as radio buttons (each with the digit that picks it), free text as a text area.
 * A click (or Space) on a choice answers and moves on; arrowing through the group only selects,
 * so passing over a choice on the way to another does not take the call down its branch.
 */
function QuestionField({
  idPrefix,
  question,
  answer,
  onChoose,
  onSelect,
}: {
  idPrefix: string;
  question: ScriptQuestion;
  answer: string | undefined;
  /** Answer and move on. */
  onChoose: (value: string) => void;
  /** Record the answer (or the text typed so far) and stay. */
  onSelect: (value: string) => void;
}) {
  const arrowing = useRef(false);
  if (question.kind === 'free_text') {
    return (
      <div className="field script-question">
        <label htmlFor={`${idPrefix}-text`}>{question.prompt}</label>
        <textarea id={`${idPrefix}-text`} rows={3} maxLength={1000} value={answer ?? ''} onChange={(event) => onSelect(event.target.value)} />
        <p className="hint">Shortcuts pause while you type here.</p>
      </div>
    );
  }
  return (
    <fieldset
      className={`script-question answer-choices${question.kind === 'scale' ? ' answer-scale' : ''}`}
      onKeyDown={(event) => {
        arrowing.current = event.key.startsWith('Arrow');
      }}
      onPointerDown={() => {
        arrowing.current = false;
      }}
    >
      <legend>{question.prompt}</legend>
      {question.choices.map((choice, index) => {
        const id = `${idPrefix}-${index}`;
        return (
          <div key={choice.value} className="answer-choice">
            <input
              id={id}
              type="radio"
              name={idPrefix}
              value={choice.value}
              checked={answer === choice.value}
              onChange={() => (arrowing.current ? onSelect(choice.value) : onChoose(choice.value))}
              aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}
            />
            <label htmlFor={id}>
              {index < 9 && <kbd aria-hidden="true">{index + 1}</kbd>}
              {choice.label}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
