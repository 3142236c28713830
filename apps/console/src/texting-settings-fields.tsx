import type { CampaignSettings, CannedResponseSetting, ManagedCampaign } from './campaigns.client';
import { useSegmentOptions } from './use-segment-options';

/** A canned response as the lead edits it; `row` keeps React's key and the server's index apart. */
interface CannedDraft {
  readonly row: number;
  readonly key: string;
  readonly title: string;
  readonly body: string;
}

/** A text campaign's settings as typed. */
export interface TextingDraft {
  readonly sendingNumbers: string;
  readonly messagingServiceSid: string;
  readonly template: string;
  /** Segment key → its wording; empty for the base template. */
  readonly variants: Readonly<Record<string, string>>;
  readonly canned: readonly CannedDraft[];
  readonly suppressDays: string;
}

let nextRow = 0;
const rowId = () => {
  nextRow += 1;
  return nextRow;
};

export function textingDraftOf(campaign: ManagedCampaign | null): TextingDraft {
  return {
    sendingNumbers: campaign?.sendingNumbers?.join('\n') ?? '',
    messagingServiceSid: campaign?.messagingServiceSid ?? '',
    template: campaign?.initialMessage?.template ?? '',
    variants: Object.fromEntries((campaign?.initialMessage?.variants ?? []).map((variant) => [variant.segmentKey, variant.template])),
    canned: (campaign?.cannedResponses ?? []).map((response) => ({ row: rowId(), ...response })),
    suppressDays:
      campaign?.suppressTextedWithinDays === null || campaign?.suppressTextedWithinDays === undefined ? '' : String(campaign.suppressTextedWithinDays),
  };
}

/** A canned response's key from its title when the lead gave none: lower snake case, as the server wants. */
export function cannedKeyOf(title: string): string {
  const key = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
  return key === '' ? 'response' : key;
}

const isBlank = (row: CannedDraft) => row.key.trim() === '' && row.title.trim() === '' && row.body.trim() === '';

/**
 * What the texting fields send: numbers as typed (the server names a wrong one by its index),
 * the message with only the segments that have their own wording, the canned responses that are
 * not left empty. `variantKeys` and `cannedRows` say which row each index the server names is.
 */
export function textingSettingsOf(draft: TextingDraft): { settings: CampaignSettings; variantKeys: string[]; cannedRows: number[] } {
  const variants = Object.entries(draft.variants)
    .filter(([, template]) => template.trim() !== '')
    .map(([segmentKey, template]) => ({ segmentKey, template: template.trim() }));
  const template = draft.template.trim();
  const canned = draft.canned.filter((row) => !isBlank(row));
  const days = draft.suppressDays.trim();
  const cannedResponses: CannedResponseSetting[] = canned.map((row) => ({
    key: row.key.trim() === '' ? cannedKeyOf(row.title) : row.key.trim(),
    title: row.title.trim(),
    body: row.body.trim(),
  }));
  return {
    settings: {
      sendingNumbers: draft.sendingNumbers
        .split(/[\s,;]+/)
        .map((each) => each.trim())
        .filter((each) => each !== ''),
      messagingServiceSid: draft.messagingServiceSid.trim() === '' ? null : draft.messagingServiceSid.trim(),
      initialMessage: template === '' && variants.length === 0 ? null : { template, variants },
      cannedResponses,
      suppressTextedWithinDays: days === '' ? null : /^\d+$/.test(days) ? Number(days) : days,
    },
    variantKeys: variants.map((variant) => variant.segmentKey),
    cannedRows: canned.map((row) => row.row),
  };
}

/** The problems the server named at `path` or inside it (`path[2]`, `path.template`), as one line. */
export function problemAt(problems: ReadonlyMap<string, string>, path: string): string | null {
  const found = [...problems].filter(([at]) => at === path || at.startsWith(`${path}[`) || at.startsWith(`${path}.`)).map(([, problem]) => problem);
  return found.length === 0 ? null : [...new Set(found)].join('; ');
}

function FieldProblem({ id, problem }: { id: string; problem: string | null }) {
  if (problem === null) return null;
  return (
    <p id={id} className="field-problem">
      {problem}
    </p>
  );
}

const MERGE_HINT = 'Merge fields as in scripts, such as {voter.first_name|there}, {volunteer.first_name} and {organization.name}.';

/**
 * A text campaign's own settings in the campaign form: the numbers it texts from (or a Twilio
 * Messaging Service), the first text with its wording per values segment, canned responses and
 * the suppression of phones another campaign texted lately. A refusal is shown on the field it
 * names (`sendingNumbers[1]`, `initialMessage.variants[0].template`).
 */
export function TextingSettingsFields({
  ids,
  draft,
  onChange,
  problems,
  variantKeys,
  cannedRows,
}: {
  ids: string;
  draft: TextingDraft;
  onChange: (fields: Partial<TextingDraft>) => void;
  problems: ReadonlyMap<string, string>;
  /** The segments of the last save's variants, in the order sent, to place `initialMessage.variants[i]`. */
  variantKeys: readonly string[];
  /** The canned rows of the last save, in the order sent, to place `cannedResponses[i]`. */
  cannedRows: readonly number[];
}) {
  const segments = useSegmentOptions();
  // The taxonomy's segments, and any segment a saved variant names that the taxonomy no longer lists.
  const segmentRows = [
    ...(segments ?? []).map((segment) => ({ key: segment.key, name: segment.name })),
    ...Object.keys(draft.variants)
      .filter((key) => !(segments ?? []).some((segment) => segment.key === key))
      .map((key) => ({ key, name: key })),
  ];
  const problemOf = (path: string) => problemAt(problems, path);
  const variantProblem = (segmentKey: string) => {
    const index = variantKeys.indexOf(segmentKey);
    return index < 0 ? null : problemOf(`initialMessage.variants[${index}]`);
  };
  const cannedProblem = (row: number) => {
    const index = cannedRows.indexOf(row);
    return index < 0 ? null : problemOf(`cannedResponses[${index}]`);
  };
  const numbersProblem = problemOf('sendingNumbers');
  const serviceProblem = problemOf('messagingServiceSid');
  const templateProblem = problemOf('initialMessage.template') ?? (problems.has('initialMessage') ? (problems.get('initialMessage') ?? null) : null);
  const daysProblem = problemOf('suppressTextedWithinDays');
  const updateCanned = (row: number, fields: Partial<CannedDraft>) =>
    onChange({ canned: draft.canned.map((each) => (each.row === row ? { ...each, ...fields } : each)) });

  return (
    <fieldset className="field-wide settings-grid texting-settings" aria-label="Texting">
      <legend>Texting</legend>
      <div className="field">
        <label htmlFor={`${ids}-sending-numbers`}>Sending numbers</label>
        <textarea
          id={`${ids}-sending-numbers`}
          rows={3}
          value={draft.sendingNumbers}
          aria-invalid={numbersProblem !== null || undefined}
          aria-describedby={`${ids}-sending-numbers-hint${numbersProblem === null ? '' : ` ${ids}-sending-numbers-problem`}`}
          onChange={(event) => onChange({ sendingNumbers: event.target.value })}
        />
        <p id={`${ids}-sending-numbers-hint`} className="hint">
          Our numbers texts come from, one per line, such as +14155550123. A voter always hears from the same one.
        </p>
        <FieldProblem id={`${ids}-sending-numbers-problem`} problem={numbersProblem} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-messaging-service`}>Messaging Service (optional)</label>
        <input
          id={`${ids}-messaging-service`}
          type="text"
          spellCheck={false}
          placeholder="MG…"
          value={draft.messagingServiceSid}
          aria-invalid={serviceProblem !== null || undefined}
          aria-describedby={`${ids}-messaging-service-hint${serviceProblem === null ? '' : ` ${ids}-messaging-service-problem`}`}
          onChange={(event) => onChange({ messagingServiceSid: event.target.value })}
        />
        <p id={`${ids}-messaging-service-hint`} className="hint">
          A Twilio Messaging Service SID (MG and 32 hexadecimal digits) that picks the number; instead of, or with, sending numbers.
        </p>
        <FieldProblem id={`${ids}-messaging-service-problem`} problem={serviceProblem} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-suppress`}>Skip phones texted by another campaign within (days, optional)</label>
        <input
          id={`${ids}-suppress`}
          type="text"
          inputMode="numeric"
          value={draft.suppressDays}
          aria-invalid={daysProblem !== null || undefined}
          aria-describedby={`${ids}-suppress-hint${daysProblem === null ? '' : ` ${ids}-suppress-problem`}`}
          onChange={(event) => onChange({ suppressDays: event.target.value })}
        />
        <p id={`${ids}-suppress-hint`} className="hint">
          1 to 365 days; leave empty to text them anyway.
        </p>
        <FieldProblem id={`${ids}-suppress-problem`} problem={daysProblem} />
      </div>

      <div className="field field-wide">
        <label htmlFor={`${ids}-initial`}>First text</label>
        <textarea
          id={`${ids}-initial`}
          rows={3}
          maxLength={1600}
          value={draft.template}
          aria-invalid={templateProblem !== null || undefined}
          aria-describedby={`${ids}-initial-hint${templateProblem === null ? '' : ` ${ids}-initial-problem`}`}
          onChange={(event) => onChange({ template: event.target.value })}
        />
        <p id={`${ids}-initial-hint`} className="hint">
          What every conversation opens with, for voters of a segment without its own wording. {MERGE_HINT} Say who you are and that STOP ends the texts.
        </p>
        <FieldProblem id={`${ids}-initial-problem`} problem={templateProblem} />
      </div>

      {segmentRows.length > 0 && (
        <fieldset className="field-wide texting-variants">
          <legend>Wording per values segment (optional)</legend>
          {segmentRows.map((segment) => {
            const problem = variantProblem(segment.key);
            return (
              <div key={segment.key} className="field">
                <label htmlFor={`${ids}-variant-${segment.key}`}>For {segment.name}</label>
                <textarea
                  id={`${ids}-variant-${segment.key}`}
                  rows={2}
                  maxLength={1600}
                  placeholder="The first text above"
                  value={draft.variants[segment.key] ?? ''}
                  aria-invalid={problem !== null || undefined}
                  aria-describedby={problem === null ? undefined : `${ids}-variant-${segment.key}-problem`}
                  onChange={(event) => onChange({ variants: { ...draft.variants, [segment.key]: event.target.value } })}
                />
                <FieldProblem id={`${ids}-variant-${segment.key}-problem`} problem={problem} />
              </div>
            );
          })}
        </fieldset>
      )}

      <fieldset className="field-wide canned-settings">
        <legend>Canned responses</legend>
        <p className="hint">Replies a texter sends with one click, such as an answer to “who is this?”. {MERGE_HINT}</p>
        <FieldProblem id={`${ids}-canned-problem`} problem={problems.has('cannedResponses') ? (problems.get('cannedResponses') ?? null) : null} />
        {draft.canned.map((row, index) => {
          const problem = cannedProblem(row.row);
          return (
            <div key={row.row} className="canned-row" role="group" aria-label={`Canned response ${index + 1}`}>
              <div className="field">
                <label htmlFor={`${ids}-canned-${row.row}-title`}>Title</label>
                <input
                  id={`${ids}-canned-${row.row}-title`}
                  type="text"
                  maxLength={80}
                  value={row.title}
                  aria-invalid={problem !== null || undefined}
                  onChange={(event) => updateCanned(row.row, { title: event.target.value })}
                />
              </div>
              <div className="field canned-key">
                <label htmlFor={`${ids}-canned-${row.row}-key`}>Key</label>
                <input
                  id={`${ids}-canned-${row.row}-key`}
                  type="text"
                  maxLength={40}
                  spellCheck={false}
                  placeholder={row.title.trim() === '' ? 'who_is_this' : cannedKeyOf(row.title)}
                  value={row.key}
                  onChange={(event) => updateCanned(row.row, { key: event.target.value })}
                />
              </div>
              <div className="field canned-body">
                <label htmlFor={`${ids}-canned-${row.row}-body`}>Text</label>
                <textarea
                  id={`${ids}-canned-${row.row}-body`}
                  rows={2}
                  maxLength={1600}
                  value={row.body}
                  aria-invalid={problem !== null || undefined}
                  aria-describedby={problem === null ? undefined : `${ids}-canned-${row.row}-problem`}
                  onChange={(event) => updateCanned(row.row, { body: event.target.value })}
                />
                <FieldProblem id={`${ids}-canned-${row.row}-problem`} problem={problem} />
              </div>
              <button
                type="button"
                className="secondary canned-remove"
                onClick={() => onChange({ canned: draft.canned.filter((each) => each.row !== row.row) })}
              >
                Remove<span className="visually-hidden"> canned response {index + 1}</span>
              </button>
            </div>
          );
        })}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => onChange({ canned: [...draft.canned, { row: rowId(), key: '', title: '', body: '' }] })}>
            Add a canned response
          </button>
        </div>
      </fieldset>
    </fieldset>
  );
}
