import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from './api.client';
import { nameCased } from './call-card';
import { formatDateTime } from './format';
import { FormError } from './form-fields';
import { CLOSED_REASON_LABELS, describeErrorCode, describeTextingRefusal, INBOX_REFRESH_MS, TEXT_STATUS_LABELS, usePolled } from './texting-shared';
import {
  closeConversation,
  type ConversationDetail,
  type ConversationMessage,
  getConversation,
  newClientKey,
  sendReply,
  type SurveyAnswer,
  TEXTING_DISPOSITIONS,
  type TextingDisposition,
  type TextingSurveyQuestion,
} from './texting.client';
import { useCallShortcuts } from './use-call-shortcuts';

const DISPOSITION_LABELS: Record<TextingDisposition, string> = {
  texted: 'Texted, no reply',
  replied: 'Replied',
  refused: 'Refused',
  wrong_number: 'Wrong number',
  do_not_call: 'Do not contact',
};

const DISPOSITION_HINTS: Partial<Record<TextingDisposition, string>> = {
  wrong_number: 'Marks the phone as a wrong number.',
  do_not_call: 'Puts the phone on the do-not-call list: nobody will call or text it again.',
};

const AUTOMATIC_KINDS: Readonly<Record<string, string>> = {
  help_reply: 'Automatic help reply',
  opt_out_reply: 'Automatic opt-out confirmation',
  opt_in_reply: 'Automatic opt-in confirmation',
};

/**
 * One conversation: every text in and out with its status (and the carrier's error code when one
 * failed), the campaign's canned responses (a click, or a digit key, puts one in the reply box), the
 * reply box, the survey questions to tag the voter's answers, and closing with a disposition. Read
 * again every few seconds while open.
 */
export function TextingConversation({
  conversationId,
  visible,
  onChanged,
  onNext,
}: {
  conversationId: string;
  visible: boolean;
  /** After a reply or a close: the inbox reads its lists again. */
  onChanged: () => void;
  /** Opens the next conversation that needs a reply; null when there is none. */
  onNext: (() => void) | null;
}) {
  const ids = useId();
  const conversation = usePolled((signal) => getConversation(conversationId, signal), INBOX_REFRESH_MS, visible);
  const detail = conversation.data;
  const [draft, setDraft] = useState('');
  // One key per composed reply: a double submit, or a retry after a lost answer, sends it once.
  const clientKey = useRef(newClientKey());
  const [sending, setSending] = useState(false);
  const [replyError, setReplyError] = useState<string | null>(null);
  const [replyNotice, setReplyNotice] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [disposition, setDisposition] = useState<TextingDisposition | null>(null);
  const [closing, setClosing] = useState(false);
  const [closeError, setCloseError] = useState<string | null>(null);
  const [closeFields, setCloseFields] = useState<readonly string[]>([]);
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const busy = useRef(false);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const closed = detail?.status === 'closed';
  const canReply = detail !== null && !closed && !detail.optedOut && detail.status !== 'needs_message';
  const wroteBack = detail?.messages.some((message) => message.direction === 'inbound') ?? false;
  const chosenDisposition: TextingDisposition = disposition ?? (wroteBack ? 'replied' : 'texted');

  function insertCanned(body: string) {
    setReplyError(null);
    setReplyNotice(null);
    setDraft(body);
    replyBox.current?.focus();
  }

  async function reply(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (busy.current || !canReply) return;
    const body = draft.trim();
    if (body === '') {
      setReplyError('Write a reply, or pick a canned response, then send.');
      replyBox.current?.focus();
      return;
    }
    busy.current = true;
    setSending(true);
    setReplyError(null);
    setReplyNotice(null);
    try {
      const sent = await sendReply(conversationId, body, clientKey.current);
      clientKey.current = newClientKey();
      setDraft('');
      setReplyNotice(
        sent.repeated
          ? 'That reply had already gone; it was not sent twice.'
          : sent.heldUntil !== null
            ? `Reply held until ${formatDateTime(sent.heldUntil)} (your time), when texting hours open where the voter lives.`
            : 'Reply sent.',
      );
      conversation.refresh();
      onChanged();
    } catch (failure) {
      setReplyError(describeTextingRefusal(failure));
    } finally {
      busy.current = false;
      setSending(false);
    }
  }

  async function close() {
    if (busy.current || detail === null || closed) return;
    busy.current = true;
    setClosing(true);
    setCloseError(null);
    setCloseFields([]);
    try {
      const given: SurveyAnswer[] = detail.surveyQuestions
        .map((question) => ({ questionKey: question.key, answer: (answers[question.key] ?? '').trim() }))
        .filter((answer) => answer.answer !== '');
      await closeConversation(conversationId, { answers: given, disposition: chosenDisposition });
      conversation.refresh();
      onChanged();
    } catch (failure) {
      setCloseError(describeTextingRefusal(failure));
      const field = failure instanceof ApiError ? failure.details?.field : undefined;
      setCloseFields(typeof field === 'string' ? [field] : []);
    } finally {
      busy.current = false;
      setClosing(false);
    }
  }

  useCallShortcuts(
    {
      digit: (digit) => {
        const canned = detail?.cannedResponses[digit - 1];
        if (canned === undefined || !canReply) return false;
        insertCanned(canned.body);
        return true;
      },
      letter: () => false,
      enter: () => false,
      space: () => false,
      arrow: () => false,
    },
    canReply,
  );

  if (detail === null) {
    return (
      <section className="panel texting-conversation" aria-label="Conversation">
        <FormError error={conversation.error} onRetry={conversation.refresh} />
        {conversation.error === null && <p className="muted">Loading the conversation…</p>}
      </section>
    );
  }

  const name = detail.voter.firstName === null ? 'Voter' : nameCased(detail.voter.firstName);
  return (
    <section className="panel texting-conversation" aria-labelledby={`${ids}-voter`}>
      <div className="section-bar">
        <h2 id={`${ids}-voter`} ref={heading} tabIndex={-1}>
          {name} <span className="muted small">phone ending {detail.voter.phoneLastDigits}</span>
        </h2>
        <ConversationBadge detail={detail} />
      </div>
      <FormError error={conversation.error} />
      {detail.optedOut && (
        <p className="notice-box opted-out-notice" role="note">
          {name} opted out of texts. Nothing more can be sent to this phone.
        </p>
      )}

      <ol className="text-history" aria-label="Texts in this conversation, oldest first">
        {detail.messages.map((message) => (
          <TextBubble key={message.id} message={message} voterName={name} />
        ))}
      </ol>

      {canReply && (
        <form className="stack reply-form" onSubmit={(event) => void reply(event)} noValidate>
          {detail.cannedResponses.length > 0 && (
            <div className="canned-responses" role="group" aria-labelledby={`${ids}-canned`}>
              <h3 id={`${ids}-canned`}>Canned responses</h3>
              <div className="canned-list">
                {detail.cannedResponses.map((canned, index) => (
                  <button
                    key={canned.key}
                    type="button"
                    className="secondary canned-button"
                    title={canned.body}
                    aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}
                    onClick={() => insertCanned(canned.body)}
                    disabled={sending}
                  >
                    {index < 9 && <kbd aria-hidden="true">{index + 1}</kbd>} {canned.title}
                  </button>
                ))}
              </div>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-reply`}>Your reply</label>
            <textarea
              id={`${ids}-reply`}
              ref={replyBox}
              rows={3}
              maxLength={1600}
              value={draft}
              aria-describedby={`${ids}-reply-hint`}
              onChange={(event) => {
                setReplyError(null);
                setReplyNotice(null);
                setDraft(event.target.value);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.repeat) {
                  event.preventDefault();
                  void reply();
                }
              }}
            />
            <p id={`${ids}-reply-hint`} className="hint">
              {draft.length > 0 ? `${draft.length} characters${draft.length > 160 ? `, ${Math.ceil(draft.length / 153)} text segments` : ''}. ` : ''}
              Ctrl+Enter sends. Canned responses: click one, or press its number when not typing.
            </p>
          </div>
          <FormError error={replyError} />
          <p role="status" className="form-notice">
            {replyNotice}
          </p>
          <div className="actions">
            <button type="submit" disabled={sending || draft.trim() === ''}>
              {sending ? 'Sending…' : 'Send reply'}
            </button>
          </div>
        </form>
      )}

      {closed ? (
        <ClosedSummary detail={detail} onNext={onNext} />
      ) : (
        <section className="detail-part close-part" aria-labelledby={`${ids}-close`}>
          <h3 id={`${ids}-close`}>Tag and close</h3>
          {detail.surveyQuestions.length > 0 && (
            <div className="stack">
              {detail.surveyQuestions.map((question) => (
                <SurveyQuestionField
                  key={question.key}
                  question={question}
                  value={answers[question.key] ?? ''}
                  invalid={closeFields.some((field) => field.startsWith('answers'))}
                  disabled={closing}
                  onChange={(value) => {
                    setCloseError(null);
                    setAnswers((current) => ({ ...current, [question.key]: value }));
                  }}
                />
              ))}
            </div>
          )}
          <fieldset className="choice-group">
            <legend>How did it end?</legend>
            <div className="disposition-grid">
              {TEXTING_DISPOSITIONS.map((value) => (
                <button
                  key={value}
                  type="button"
                  className="disposition"
                  aria-pressed={chosenDisposition === value}
                  disabled={closing}
                  onClick={() => {
                    setCloseError(null);
                    setDisposition(value);
                  }}
                >
                  {DISPOSITION_LABELS[value]}
                </button>
              ))}
            </div>
            {DISPOSITION_HINTS[chosenDisposition] !== undefined && <p className="hint">{DISPOSITION_HINTS[chosenDisposition]}</p>}
          </fieldset>
          <FormError error={closeError} />
          <div className="actions">
            <button type="button" onClick={() => void close()} disabled={closing || detail.status === 'needs_message'}>
              {closing ? 'Closing…' : 'Close conversation'}
            </button>
            {onNext !== null && (
              <button type="button" className="secondary" onClick={onNext}>
                Next reply →
              </button>
            )}
          </div>
        </section>
      )}
    </section>
  );
}

function ConversationBadge({ detail }: { detail: ConversationDetail }) {
  if (detail.status === 'closed') {
    const label = detail.closedReason === null ? 'Closed' : CLOSED_REASON_LABELS[detail.closedReason];
    return <span className={`status-badge ${detail.closedReason === 'opted_out' ? 'status-failed' : 'status-queued'}`}>{label}</span>;
  }
  if (detail.status === 'needs_response') return <span className="status-badge status-running">Needs a reply</span>;
  if (detail.status === 'messaged') return <span className="status-badge status-succeeded">Waiting for the voter</span>;
  return <span className="status-badge status-queued">First text not sent</span>;
}

function TextBubble({ message, voterName }: { message: ConversationMessage; voterName: string }) {
  const inbound = message.direction === 'inbound';
  const automatic = AUTOMATIC_KINDS[message.kind];
  const failed = message.status === 'failed' || message.status === 'undelivered';
  const status = TEXT_STATUS_LABELS[message.status] ?? message.status;
  return (
    <li
      className={`text-bubble ${inbound ? 'text-inbound' : 'text-outbound'}${failed ? ' text-failed' : ''}${automatic === undefined ? '' : ' text-automatic'}`}
    >
      <p className="text-body">{message.body}</p>
      <p className="text-meta">
        <span>{inbound ? voterName : (automatic ?? (message.kind === 'initial' ? 'You, first text' : 'You'))}</span>
        {' · '}
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
        {!inbound && (
          <>
            {' · '}
            <span className={`text-status text-status-${message.status}`}>
              {status}
              {failed && ` (${describeErrorCode(message.errorCode)})`}
              {message.status === 'held' && message.sendAfter !== null && ` until ${formatDateTime(message.sendAfter)}`}
            </span>
          </>
        )}
      </p>
    </li>
  );
}

/** A survey question tagged from the conversation: one press per choice, or a line of text. */
function SurveyQuestionField({
  question,
  value,
  invalid,
  disabled,
  onChange,
}: {
  question: TextingSurveyQuestion;
  value: string;
  invalid: boolean;
  disabled: boolean;
  onChange: (value: string) => void;
}) {
  const ids = useId();
  if (question.kind === 'free_text' || question.choices.length === 0) {
    return (
      <div className="field">
        <label htmlFor={`${ids}-answer`}>{question.prompt}</label>
        <input
          id={`${ids}-answer`}
          type="text"
          maxLength={1000}
          value={value}
          disabled={disabled}
          aria-invalid={invalid || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
    );
  }
  return (
    <fieldset className="script-question answer-choices-group">
      <legend>{question.prompt}</legend>
      <div className={`disposition-grid ${question.kind === 'scale' ? 'answer-scale' : 'answer-choices'}`}>
        {question.choices.map((choice) => (
          <div key={choice.value} className="answer-choice">
            <input
              id={`${ids}-${choice.value}`}
              type="radio"
              name={`${ids}-answer`}
              value={choice.value}
              checked={value === choice.value}
              disabled={disabled}
              aria-invalid={invalid || undefined}
              onChange={() => onChange(choice.value)}
              onClick={() => {
                // A second press on the chosen answer takes it back.
                if (value === choice.value) onChange('');
              }}
            />
            <label htmlFor={`${ids}-${choice.value}`}>{choice.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function ClosedSummary({ detail, onNext }: { detail: ConversationDetail; onNext: (() => void) | null }) {
  const attempt = detail.attempt;
  const labelOf = (questionKey: string, answer: string) => {
    const question = detail.surveyQuestions.find((each) => each.key === questionKey);
    const choice = question?.choices.find((each) => each.value === answer);
    return { prompt: question?.prompt ?? questionKey, answer: choice?.label ?? answer };
  };
  return (
    <section className="detail-part closed-part" aria-label="Closed">
      <p className="closed-line">
        <strong>Closed</strong>
        {detail.closedReason !== null && detail.closedReason !== 'texter' && `: ${CLOSED_REASON_LABELS[detail.closedReason].toLowerCase()}`}
        {attempt !== null && ` · recorded as ${DISPOSITION_LABELS[attempt.disposition as TextingDisposition]?.toLowerCase() ?? attempt.disposition}`}
      </p>
      {attempt !== null && attempt.answers.length > 0 && (
        <dl className="closed-answers">
          {attempt.answers.map((answer) => {
            const shown = labelOf(answer.questionKey, answer.answer);
            return (
              <div key={answer.questionKey}>
                <dt>{shown.prompt}</dt>
                <dd>{shown.answer}</dd>
              </div>
            );
          })}
        </dl>
      )}
      {onNext !== null && (
        <div className="actions">
          <button type="button" onClick={onNext}>
            Next reply →
          </button>
        </div>
      )}
    </section>
  );
}
