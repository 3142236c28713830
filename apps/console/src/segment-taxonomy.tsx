import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { formatDateTime } from './format';
import { FormError, SubmitButton } from './form-fields';
import { isNamedByError, SegmentLabel, type SegmentLookup, SegmentSwatch } from './segment-swatch';
import { describeRefusal, fieldOfError, saveTaxonomy, type SegmentDefinition, type SegmentTaxonomy, type ValuesQuestion } from './segments.client';

const MAX_SEGMENTS = 12;
const NEW_SEGMENT_COLOURS = ['#6a1b9a', '#00897b', '#c62828', '#f9a825', '#4e342e', '#283593', '#558b2f', '#ad1457'];

/** The segments and the values questions, read-only; data leads open an editor that saves a new version. */
export function SegmentTaxonomySection({
  taxonomy,
  lookup,
  mayEdit,
  onSaved,
}: {
  taxonomy: SegmentTaxonomy;
  lookup: SegmentLookup;
  mayEdit: boolean;
  onSaved: (taxonomy: SegmentTaxonomy) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  function close(saved: SegmentTaxonomy | null) {
    setEditing(false);
    if (saved !== null) {
      onSaved(saved);
      setNotice(`Taxonomy version ${saved.version} is saved. New models use it; existing ones keep the version they were built for.`);
    }
    // Back where the person started, not at the top of the page.
    requestAnimationFrame(() => editButton.current?.focus());
  }

  return (
    <div className="stack">
      <div className="section-bar">
        <p className="muted small">
          Version {taxonomy.version} · saved {formatDateTime(taxonomy.createdAt)}. Models stay tied to the version they were built for.
        </p>
        {mayEdit && !editing && (
          <button
            ref={editButton}
            type="button"
            className="secondary"
            onClick={() => {
              setNotice(null);
              setEditing(true);
            }}
          >
            Edit segments
          </button>
        )}
      </div>

      {editing ? (
        <TaxonomyEditor taxonomy={taxonomy} onClose={close} />
      ) : (
        <ul className="segment-cards" aria-label="Segments">
          {taxonomy.segments.map((segment) => (
            <li key={segment.key} className="segment-card" style={{ borderTopColor: segment.colour }}>
              <h3>
                <SegmentSwatch colour={segment.colour} />
                {segment.name}
              </h3>
              <p className="small">
                <code>{segment.key}</code>
              </p>
              {segment.description !== '' && <p className="small muted">{segment.description}</p>}
            </li>
          ))}
        </ul>
      )}

      <p role="status" className="form-notice">
        {notice}
      </p>

      <ValuesQuestions questions={taxonomy.valuesQuestions} segments={taxonomy.segments} lookup={lookup} />
    </div>
  );
}

/** Each question's answers with how likely each segment is to give them. */
function ValuesQuestions({
  questions,
  segments,
  lookup,
}: {
  questions: readonly ValuesQuestion[];
  segments: readonly SegmentDefinition[];
  lookup: SegmentLookup;
}) {
  if (questions.length === 0) return <p className="muted">No values questions yet.</p>;
  return (
    <details className="values-questions">
      <summary>Values questions ({questions.length}): what volunteers ask, and how likely each segment is to give each answer</summary>
      <div className="stack">
        {questions.map((question) => (
          <div key={question.key} className="table-scroll">
            <table>
              <caption className="table-caption">
                {question.prompt} <code className="muted small">{question.key}</code>
              </caption>
              <thead>
                <tr>
                  <th scope="col">Answer</th>
                  {segments.map((segment) => (
                    <th key={segment.key} scope="col" className="numeric wrap-header">
                      <SegmentLabel look={lookup(segment.key)} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {question.answers.map((answer) => (
                  <tr key={answer.key}>
                    <th scope="row">{answer.label}</th>
                    {segments.map((segment) => {
                      const likelihood = answer.likelihoods[segment.key];
                      return (
                        <td key={segment.key} className="numeric">
                          {likelihood === undefined ? <span className="muted">any</span> : `${Math.round(likelihood * 100)}%`}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </details>
  );
}

interface SegmentDraft {
  /** Stable across reordering, so React keeps each row's inputs (and focus) with it. */
  readonly id: number;
  /** Whether the key may still be chosen: a saved key is what models and exports refer to. */
  readonly isNew: boolean;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly colour: string;
}

let nextDraftId = 1;

function draftsOf(segments: readonly SegmentDefinition[]): SegmentDraft[] {
  return segments.map((segment) => ({ ...segment, id: nextDraftId++, isNew: false }));
}

/** A key from a name, the way the API wants keys: lower case, digits and underscores, starting with a letter. */
function keyOf(name: string): string {
  const key = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return key;
}

function TaxonomyEditor({ taxonomy, onClose }: { taxonomy: SegmentTaxonomy; onClose: (saved: SegmentTaxonomy | null) => void }) {
  const ids = useId();
  const [drafts, setDrafts] = useState<SegmentDraft[]>(() => draftsOf(taxonomy.segments));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<string | null>(null);
  const focusAfterMove = useRef<string | null>(null);
  const errorId = `${ids}-error`;

  useEffect(() => {
    if (focusAfterMove.current === null) return;
    document.getElementById(focusAfterMove.current)?.focus();
    focusAfterMove.current = null;
  });

  // Inputs are named by the row's draft id (stable while rows move); the API names them by position.
  // Runs when a new refusal arrives, not on every keystroke after it.
  useEffect(() => {
    const match = invalidField === null ? null : /^segments\[(\d+)\](?:\.(\w+))?/.exec(invalidField);
    if (match === null) return;
    const row = drafts[Number(match[1])];
    if (row !== undefined) document.getElementById(`${ids}-segment-${row.id}-${match[2] ?? 'name'}`)?.focus();
  }, [ids, invalidField]);

  const update = (id: number, change: Partial<SegmentDraft>) =>
    setDrafts((current) => current.map((draft) => (draft.id === id ? { ...draft, ...change } : draft)));

  function move(index: number, by: -1 | 1) {
    const target = index + by;
    if (target < 0 || target >= drafts.length) return;
    const moved = drafts[index];
    // Keep the keyboard on the moved segment: the same button if it can still go that way, else its opposite.
    const stillMovable = by === -1 ? target > 0 : target < drafts.length - 1;
    focusAfterMove.current = `${ids}-move-${by === -1 ? (stillMovable ? 'up' : 'down') : stillMovable ? 'down' : 'up'}-${moved.id}`;
    setDrafts((current) => {
      const next = [...current];
      [next[index], next[target]] = [next[target], next[index]];
      return next;
    });
  }

  function remove(index: number) {
    const neighbour = drafts[index + 1] ?? drafts[index - 1];
    focusAfterMove.current = neighbour === undefined ? `${ids}-add` : `${ids}-remove-${neighbour.id}`;
    setDrafts((current) => current.filter((_, position) => position !== index));
  }

  function add() {
    const colour = NEW_SEGMENT_COLOURS.find((candidate) => !drafts.some((draft) => draft.colour.toLowerCase() === candidate)) ?? NEW_SEGMENT_COLOURS[0];
    const draft: SegmentDraft = { id: nextDraftId++, isNew: true, key: '', name: '', description: '', colour };
    focusAfterMove.current = `${ids}-segment-${draft.id}-name`;
    setDrafts((current) => [...current, draft]);
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const segments: SegmentDefinition[] = drafts.map((draft) => ({
      key: draft.isNew ? draft.key.trim() || keyOf(draft.name) : draft.key,
      name: draft.name,
      description: draft.description,
      colour: draft.colour,
    }));
    // A removed segment's likelihoods would name a segment that no longer exists, which the API refuses; a new one starts uninformative.
    const kept = new Set(segments.map((segment) => segment.key));
    const valuesQuestions = taxonomy.valuesQuestions.map((question) => ({
      ...question,
      answers: question.answers.map((answer) => ({
        ...answer,
        likelihoods: Object.fromEntries(Object.entries(answer.likelihoods).filter(([key]) => kept.has(key))),
      })),
    }));
    setSaving(true);
    setError(null);
    setInvalidField(null);
    try {
      onClose(await saveTaxonomy(segments, valuesQuestions));
    } catch (failure) {
      setError(readableError(describeRefusal(failure)));
      setInvalidField(fieldOfError(failure));
    } finally {
      setSaving(false);
    }
  }

  // A refusal naming one input is shown under it; anything else (the values questions, the list as a whole) under the form.
  const inlineField = invalidField !== null && /^segments\[\d+\]\.(key|name|description|colour)$/.test(invalidField) ? invalidField : null;
  const errorUnder = (field: string) => (inlineField === field ? <FormError id={errorId} error={error} /> : null);

  const invalid = (field: string) =>
    isNamedByError(field, invalidField)
      ? { 'aria-invalid': true as const, 'aria-describedby': errorId }
      : { 'aria-invalid': undefined, 'aria-describedby': undefined };

  return (
    <form className="stack" aria-label="Edit segments" onSubmit={save} noValidate>
      <ol className="segment-editor">
        {drafts.map((draft, index) => {
          const field = `segments[${index}]`;
          const fieldId = (part: string) => `${ids}-segment-${draft.id}-${part}`;
          return (
            <li key={draft.id} className="segment-editor-row" style={{ borderLeftColor: draft.colour }}>
              <fieldset className="segment-editor-fields">
                <legend>
                  Segment {index + 1}
                  {draft.name.trim() !== '' && <span className="muted">: {draft.name}</span>}
                </legend>
                <div className="field">
                  <label htmlFor={fieldId('name')}>Name</label>
                  <input
                    id={fieldId('name')}
                    type="text"
                    maxLength={100}
                    autoComplete="off"
                    value={draft.name}
                    onChange={(event) => update(draft.id, { name: event.target.value })}
                    {...invalid(`${field}.name`)}
                  />
                  {errorUnder(`${field}.name`)}
                </div>
                <div className="field">
                  <label htmlFor={fieldId('key')}>Key</label>
                  {draft.isNew ? (
                    <>
                      <input
                        id={fieldId('key')}
                        type="text"
                        maxLength={40}
                        autoComplete="off"
                        spellCheck={false}
                        placeholder={keyOf(draft.name) || 'lower_case_key'}
                        aria-describedby={`${fieldId('key')}-hint`}
                        value={draft.key}
                        onChange={(event) => update(draft.id, { key: event.target.value })}
                        {...(isNamedByError(`${field}.key`, invalidField)
                          ? { 'aria-invalid': true, 'aria-describedby': `${fieldId('key')}-hint ${errorId}` }
                          : {})}
                      />
                      <p id={`${fieldId('key')}-hint`} className="hint">
                        Used by models and exports; cannot change once saved. Left empty, it is made from the name.
                      </p>
                    </>
                  ) : (
                    <input id={fieldId('key')} type="text" readOnly value={draft.key} className="read-only-input" {...invalid(`${field}.key`)} />
                  )}
                  {errorUnder(`${field}.key`)}
                </div>
                <div className="field field-colour">
                  <label htmlFor={fieldId('colour')}>Colour</label>
                  <input
                    id={fieldId('colour')}
                    type="color"
                    value={draft.colour}
                    onChange={(event) => update(draft.id, { colour: event.target.value })}
                    {...invalid(`${field}.colour`)}
                  />
                  {errorUnder(`${field}.colour`)}
                </div>
                <div className="field field-wide">
                  <label htmlFor={fieldId('description')}>Description</label>
                  <textarea
                    id={fieldId('description')}
                    rows={2}
                    maxLength={1000}
                    value={draft.description}
                    onChange={(event) => update(draft.id, { description: event.target.value })}
                    {...invalid(`${field}.description`)}
                  />
                  {errorUnder(`${field}.description`)}
                </div>
              </fieldset>
              <div className="row-actions segment-editor-actions">
                <button
                  id={`${ids}-move-up-${draft.id}`}
                  type="button"
                  className="secondary"
                  disabled={index === 0}
                  aria-label={`Move segment ${index + 1} up`}
                  onClick={() => move(index, -1)}
                >
                  Move up
                </button>
                <button
                  id={`${ids}-move-down-${draft.id}`}
                  type="button"
                  className="secondary"
                  disabled={index === drafts.length - 1}
                  aria-label={`Move segment ${index + 1} down`}
                  onClick={() => move(index, 1)}
                >
                  Move down
                </button>
                <button
                  id={`${ids}-remove-${draft.id}`}
                  type="button"
                  className="secondary"
                  disabled={drafts.length <= 2}
                  aria-label={`Remove segment ${index + 1}`}
                  onClick={() => remove(index)}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="actions">
        <button id={`${ids}-add`} type="button" className="secondary" disabled={drafts.length >= MAX_SEGMENTS} onClick={add}>
          Add a segment
        </button>
      </div>
      <p className="hint">
        Removing a segment drops it from the values questions too. Models built on this version keep their own segments. A taxonomy has 2 to {MAX_SEGMENTS}{' '}
        segments.
      </p>
      <FormError id={errorId} error={inlineField === null ? error : null} />
      <div className="actions">
        <SubmitButton pending={saving} label={`Save as version ${taxonomy.version + 1}`} pendingLabel="Saving…" />
        <button type="button" className="secondary" disabled={saving} onClick={() => onClose(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The API names fields as a program would ("segments[0].name"); say it as the form does ("Segment 1 name"). */
function readableError(message: string): string {
  return message
    .replace(/segments\[(\d+)\]\.(\w+)/g, (_, index: string, part: string) => `Segment ${Number(index) + 1} ${part}`)
    .replace(/segments\[(\d+)\]/g, (_, index: string) => `Segment ${Number(index) + 1}`);
}
