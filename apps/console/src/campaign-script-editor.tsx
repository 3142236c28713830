import { useEffect, useId, useMemo, useState } from 'react';
import { isAbortError } from './api.client';
import { type ManagedCampaign, previewCampaignScript, saveCampaignScript, type ScriptIssue, type ScriptPreview, scriptIssuesOf } from './campaigns.client';
import { FormError } from './form-fields';
import { jsonText, locateJsonPath, readJsonText } from './json-text';
import { ScriptPreviewSteps } from './script-preview';
import { segmentLookupOf } from './segment-swatch';
import { describeRefusal, getTaxonomy, type SegmentTaxonomy } from './segments.client';
import { useDebouncedValue } from './use-debounced-value';

const PREVIEW_DEBOUNCE_MS = 500;

/** Where a campaign without a script starts: one step that passes the server's checks, to grow from. */
const STARTER_SCRIPT = {
  startStepId: 'introduction',
  steps: [
    {
      id: 'introduction',
      title: 'Introduction',
      text: "Hi {voter.first_name|there}, my name is {volunteer.first_name} and I'm a volunteer with {organization.name}.",
      next: null,
    },
  ],
};

/** The problems of a refusal, split by the document they are in: survey questions are `questions[…]`, the rest is the script. */
function issuesByDocument(issues: readonly ScriptIssue[]): { script: ScriptIssue[]; questions: ScriptIssue[] } {
  return {
    script: issues.filter((issue) => !issue.path.startsWith('questions')),
    questions: issues.filter((issue) => issue.path.startsWith('questions')),
  };
}

interface Problem {
  readonly message: string;
  readonly issues: readonly ScriptIssue[];
}

/**
 * A campaign's script and survey questions as JSON, checked as they are typed: the server
 * renders them for a sample voter (debounced), worded for any values segment, and lists each
 * problem by where it is (`steps[2].next`). Saving stores a new script version.
 */
export function CampaignScriptEditor({ campaign, onSaved }: { campaign: ManagedCampaign; onSaved: (campaign: ManagedCampaign) => void }) {
  const ids = useId();
  const readOnly = campaign.status === 'finished';
  const [saved, setSaved] = useState(() => ({
    script: jsonText(campaign.script ?? STARTER_SCRIPT),
    questions: jsonText(campaign.surveyQuestions ?? []),
  }));
  const [scriptText, setScriptText] = useState(saved.script);
  const [questionsText, setQuestionsText] = useState(saved.questions);
  const [segmentKey, setSegmentKey] = useState('');
  const [taxonomy, setTaxonomy] = useState<SegmentTaxonomy | null>(null);
  const [preview, setPreview] = useState<ScriptPreview | null>(null);
  const [previewProblem, setPreviewProblem] = useState<Problem | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveProblem, setSaveProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const scriptReading = readJsonText(scriptText, 'The script');
  const questionsReading = readJsonText(questionsText, 'The survey questions');
  const request =
    scriptReading.ok && questionsReading.ok
      ? { script: scriptReading.value, surveyQuestions: questionsReading.value, segmentKey: segmentKey || undefined }
      : null;
  const requestKey = JSON.stringify(request);
  const settledKey = useDebouncedValue(requestKey, PREVIEW_DEBOUNCE_MS);
  const dirty = scriptText !== saved.script || questionsText !== saved.questions;

  useEffect(() => {
    const controller = new AbortController();
    // Only for names and colours: without it the segments are shown by key.
    getTaxonomy(controller.signal).then(setTaxonomy, () => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const body = JSON.parse(settledKey) as Parameters<typeof previewCampaignScript>[1] | null;
    if (body === null) return;
    const controller = new AbortController();
    setPreviewing(true);
    previewCampaignScript(campaign.id, body, controller.signal).then(
      (answer) => {
        setPreview(answer);
        setPreviewProblem(null);
        setPreviewing(false);
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        setPreviewProblem({ message: describeRefusal(failure), issues: scriptIssuesOf(failure) });
        setPreviewing(false);
      },
    );
    return () => controller.abort();
  }, [settledKey, campaign.id]);

  const lookup = useMemo(() => segmentLookupOf(taxonomy), [taxonomy]);
  const segmentKeys = preview?.segmentKeys ?? taxonomy?.segments.map((segment) => segment.key) ?? [];
  const stale = requestKey !== settledKey || previewing || previewProblem !== null || request === null;
  // A refused save is the latest word on the text until it changes; otherwise the live check's.
  const problem = saveProblem ?? (request !== null && requestKey === settledKey && !previewing ? previewProblem : null);
  const issues = issuesByDocument(problem?.issues ?? []);
  // Said once the typing pauses, not at every keystroke of a half-written line.
  const settledScriptError = useDebouncedValue(scriptReading.ok ? null : scriptReading.message, PREVIEW_DEBOUNCE_MS);
  const settledQuestionsError = useDebouncedValue(questionsReading.ok ? null : questionsReading.message, PREVIEW_DEBOUNCE_MS);
  const scriptError = scriptReading.ok ? null : settledScriptError;
  const questionsError = questionsReading.ok ? null : settledQuestionsError;

  function edit(change: () => void) {
    change();
    setSaveProblem(null);
    setNotice(null);
  }

  async function save() {
    if (!scriptReading.ok || !questionsReading.ok) {
      setSaveProblem({ message: 'Fix the JSON first: the script and the survey questions must both be valid JSON.', issues: [] });
      return;
    }
    setSaving(true);
    setSaveProblem(null);
    setNotice(null);
    try {
      const updated = await saveCampaignScript(campaign.id, scriptReading.value, questionsReading.value);
      // The server's reading (defaults spelled out) is what the editor shows from now on.
      const stored = { script: jsonText(updated.script), questions: jsonText(updated.surveyQuestions) };
      setSaved(stored);
      setScriptText(stored.script);
      setQuestionsText(stored.questions);
      setNotice(`Script version ${updated.scriptVersion} is saved. Volunteers get it with their next voter.`);
      onSaved(updated);
    } catch (failure) {
      setSaveProblem({ message: describeRefusal(failure), issues: scriptIssuesOf(failure) });
    } finally {
      setSaving(false);
    }
  }

  function discard() {
    edit(() => {
      setScriptText(saved.script);
      setQuestionsText(saved.questions);
    });
  }

  return (
    <div className="script-editor">
      <div className="stack">
        {campaign.script === null && <p className="muted small">No script yet: the editor starts from a one-step outline to build on.</p>}
        <JsonField
          id={`${ids}-script`}
          label="Script (JSON)"
          hint="{ startStepId, steps: [{ id, title, text, variants: [{ segmentKey, text }], questionKey, branches: [{ answer, next }], next }] }. Merge fields: {voter.first_name|fallback}, {voter.city}, {volunteer.first_name}, {organization.name}."
          value={scriptText}
          onChange={(value) => edit(() => setScriptText(value))}
          syntaxError={scriptError}
          issues={issues.script}
          pathPrefix=""
          document="the script"
          readOnly={readOnly}
          rows={22}
        />
        <JsonField
          id={`${ids}-questions`}
          label="Survey questions (JSON)"
          hint="[{ key, kind: single_choice | scale | free_text | values, prompt, choices: [{ value, label }], valuesQuestionKey }]. A step asks one by its questionKey."
          value={questionsText}
          onChange={(value) => edit(() => setQuestionsText(value))}
          syntaxError={questionsError}
          issues={issues.questions}
          pathPrefix="questions"
          document="the survey questions"
          readOnly={readOnly}
          rows={12}
        />
        <FormError error={problem === null || problem.issues.length > 0 ? null : problem.message} />
        <p role="status" className="form-notice">
          {notice}
        </p>
        {!readOnly && (
          <div className="actions">
            <button type="button" onClick={() => void save()} disabled={saving || !dirty}>
              {saving ? 'Saving…' : dirty ? 'Save script' : 'Saved'}
            </button>
            {dirty && (
              <button type="button" className="secondary" onClick={discard} disabled={saving}>
                Discard changes
              </button>
            )}
          </div>
        )}
      </div>

      <section className="sub-panel script-preview" aria-labelledby={`${ids}-preview-title`} aria-busy={stale}>
        <div className="section-bar">
          <h4 id={`${ids}-preview-title`}>Preview</h4>
          <div className="field field-inline">
            <label htmlFor={`${ids}-segment`}>Worded for</label>
            <select id={`${ids}-segment`} value={segmentKey} onChange={(event) => setSegmentKey(event.target.value)}>
              <option value="">Voters without a segment</option>
              {segmentKeys.map((key) => (
                <option key={key} value={key}>
                  {lookup(key).name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="muted small">
          Read to a sample voter, Maria Lopez of Fresno, by you. {request === null ? 'Fix the JSON to see it again.' : previewing ? 'Updating…' : ''}
        </p>
        {preview === null ? (
          <p className="muted">{request === null ? 'The preview appears once both fields are valid JSON.' : 'Loading the preview…'}</p>
        ) : preview.steps.length === 0 ? (
          <p className="muted">No steps to show yet.</p>
        ) : (
          <div className={stale ? 'is-stale' : undefined}>
            <ScriptPreviewSteps steps={preview.steps} segmentName={(key) => lookup(key).name} />
          </div>
        )}
      </section>
    </div>
  );
}

/**
 * A JSON text area with what is wrong in it right below: the syntax, or the server's problems by
 * path, each path a button that selects that place in the text.
 */
function JsonField({
  id,
  label,
  hint,
  value,
  onChange,
  syntaxError,
  issues,
  pathPrefix,
  document: documentName,
  readOnly,
  rows,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  syntaxError: string | null;
  issues: readonly ScriptIssue[];
  /** What the server puts before paths into this text ("questions" for `questions[1].kind`). */
  pathPrefix: string;
  /** How to name this text in the buttons' labels. */
  document: string;
  readOnly: boolean;
  rows: number;
}) {
  const invalid = syntaxError !== null || issues.length > 0;

  function show(path: string) {
    const area = window.document.getElementById(id);
    const place = locateJsonPath(value, path.startsWith(pathPrefix) ? path.slice(pathPrefix.length) : path);
    if (!(area instanceof HTMLTextAreaElement) || place === null) return;
    // How far down the place is, wrapped lines included: the height of the text before it, measured
    // in the text area itself (then put back as it was, before the selection is set).
    const height = area.style.height;
    area.style.height = '0';
    area.value = value.slice(0, place.start);
    const above = area.scrollHeight;
    area.value = value;
    area.style.height = height;
    area.focus();
    area.setSelectionRange(place.start, place.end);
    area.scrollTop = Math.max(0, above - area.clientHeight / 3);
  }

  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <textarea
        id={id}
        className="json-input"
        rows={rows}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        value={value}
        readOnly={readOnly}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-problems` : ''}`}
      />
      {syntaxError !== null ? (
        <p id={`${id}-problems`} role="alert" className="form-error">
          {syntaxError}
        </p>
      ) : (
        issues.length > 0 && (
          <div id={`${id}-problems`} role="alert" className="form-error script-issues">
            <p>{issues.length === 1 ? 'One problem' : `${issues.length} problems`} to fix before saving:</p>
            <ul>
              {issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  {issue.path === '' ? (
                    <code>(the whole field)</code>
                  ) : (
                    <button type="button" className="link-button" onClick={() => show(issue.path)}>
                      <span className="visually-hidden">Show in {documentName}: </span>
                      <code>{issue.path}</code>
                    </button>
                  )}{' '}
                  {issue.message.startsWith(issue.path) ? issue.message.slice(issue.path.length).trim() : issue.message}
                </li>
              ))}
            </ul>
          </div>
        )
      )}
    </div>
  );
}
