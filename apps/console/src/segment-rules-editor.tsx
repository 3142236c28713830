import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { isAbortError } from './api.client';
import { formatCount, formatQuantity } from './format';
import { FormError, SubmitButton } from './form-fields';
import { SegmentLabel, type SegmentLookup } from './segment-swatch';
import {
  countRules,
  createRuleModel,
  describeRefusal,
  fieldOfError,
  LISTED_RULE_FIELDS,
  NUMERIC_FIELD_LIMITS,
  NUMERIC_RULE_FIELDS,
  type NumericRuleField,
  RULE_FIELD_VALUES,
  type RuleBound,
  type RuleCondition,
  type RuleCounts,
  type RuleField,
  type RuleModelDefinition,
  type SegmentModel,
  type SegmentTaxonomy,
} from './segments.client';
import { useDebouncedValue } from './use-debounced-value';
import { PARTY_LABELS, PROPENSITY_LABELS, RACE_ETHNICITY_LABELS } from './voter-labels';

const COUNT_DEBOUNCE_MS = 400;
const MAX_RULES = 100;
const MAX_CONDITIONS = 20;

const FIELD_LABELS: Record<RuleField, string> = {
  age: 'Age',
  registeredYears: 'Years registered',
  generalVotes: 'General elections voted in (last 8 years)',
  primaryVotes: 'Primaries voted in (last 8 years)',
  party: 'Party',
  raceEthnicity: 'Race or ethnicity',
  gender: 'Gender',
  propensity: 'Voting propensity',
  county: 'County',
  urbanicity: 'Urbanicity',
};

const VALUE_LABELS: Record<Exclude<RuleField, NumericRuleField | 'county'>, Readonly<Record<string, string>>> = {
  party: PARTY_LABELS,
  raceEthnicity: RACE_ETHNICITY_LABELS,
  gender: { female: 'Female', male: 'Male', unknown: 'Unknown' },
  propensity: PROPENSITY_LABELS,
  urbanicity: { urban: 'Urban', suburban: 'Suburban', rural: 'Rural' },
};

interface ConditionDraft {
  readonly id: number;
  readonly field: RuleField;
  /** Bounds as typed, for numeric fields. */
  readonly min: string;
  readonly max: string;
  /** Chosen values, for listed fields other than county. */
  readonly values: readonly string[];
  /** Counties as typed, separated by commas. */
  readonly counties: string;
}

interface RuleDraft {
  readonly id: number;
  readonly segment: string;
  readonly conditions: readonly ConditionDraft[];
}

interface RulesDraft {
  readonly rules: readonly RuleDraft[];
  readonly fallbackSegment: string;
}

/** A definition to send, with the draft ids of what it holds, to put the API's positional field names back on the right inputs. */
interface DefinitionRequest {
  readonly definition: RuleModelDefinition;
  readonly ruleIds: readonly number[];
  readonly conditionIds: ReadonlyArray<readonly number[]>;
}

let nextDraftId = 1;

function isNumeric(field: RuleField): field is NumericRuleField {
  return (NUMERIC_RULE_FIELDS as readonly string[]).includes(field);
}

function emptyCondition(field: RuleField = 'party'): ConditionDraft {
  return { id: nextDraftId++, field, min: '', max: '', values: [], counties: '' };
}

function draftOf(definition: RuleModelDefinition | null, fallbackSegment: string): RulesDraft {
  if (definition === null) return { rules: [], fallbackSegment };
  return {
    fallbackSegment: definition.fallbackSegment,
    rules: definition.rules.map((rule) => ({
      id: nextDraftId++,
      segment: rule.segment,
      conditions: rule.conditions.map((condition) => {
        const draft = emptyCondition(condition.field);
        if ('values' in condition) {
          return condition.field === 'county' ? { ...draft, counties: condition.values.join(', ') } : { ...draft, values: condition.values };
        }
        return { ...draft, min: condition.min === undefined ? '' : String(condition.min), max: condition.max === undefined ? '' : String(condition.max) };
      }),
    })),
  };
}

function boundOf(text: string): RuleBound | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function countiesOf(text: string): string[] {
  return text
    .split(',')
    .map((county) =>
      county
        .trim()
        .replace(/\s{2,}/g, ' ')
        .toUpperCase(),
    )
    .filter((county) => county !== '');
}

/** Whether a condition says anything yet: a bound, or at least one value. Ones that do not are left out of the live count. */
function isComplete(condition: ConditionDraft): boolean {
  if (isNumeric(condition.field)) return condition.min.trim() !== '' || condition.max.trim() !== '';
  return condition.field === 'county' ? countiesOf(condition.counties).length > 0 : condition.values.length > 0;
}

function conditionOf(condition: ConditionDraft): RuleCondition {
  if (isNumeric(condition.field)) {
    const min = boundOf(condition.min);
    const max = boundOf(condition.max);
    return { field: condition.field, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
  }
  return { field: condition.field, values: condition.field === 'county' ? countiesOf(condition.counties) : condition.values };
}

function requestOf(draft: RulesDraft, onlyComplete: boolean): DefinitionRequest {
  const kept = draft.rules.map((rule) => rule.conditions.filter((condition) => !onlyComplete || isComplete(condition)));
  return {
    definition: {
      rules: draft.rules.map((rule, index) => ({ segment: rule.segment, conditions: kept[index].map(conditionOf) })),
      fallbackSegment: draft.fallbackSegment,
    },
    ruleIds: draft.rules.map((rule) => rule.id),
    conditionIds: kept.map((conditions) => conditions.map((condition) => condition.id)),
  };
}

/**
 * The element id (or the start of the ids) of what a refusal's `details.field` names, through the
 * draft ids the request was built from: "rules[1].conditions[0].min" → that condition's min input.
 */
function targetOf(prefix: string, field: string | null, request: DefinitionRequest): string | null {
  if (field === null) return null;
  if (field.startsWith('fallbackSegment')) return `${prefix}-fallback`;
  const match = /^rules\[(\d+)\](?:\.(segment|conditions)(?:\[(\d+)\](?:\.(\w+))?)?)?/.exec(field);
  if (match === null) return null;
  const ruleId = request.ruleIds[Number(match[1])];
  if (ruleId === undefined) return null;
  if (match[2] === 'segment') return `${prefix}-rule-${ruleId}-segment`;
  if (match[3] === undefined) return `${prefix}-rule-${ruleId}`;
  const conditionId = request.conditionIds[Number(match[1])]?.[Number(match[3])];
  if (conditionId === undefined) return `${prefix}-rule-${ruleId}`;
  return match[4] === undefined ? `${prefix}-condition-${conditionId}` : `${prefix}-condition-${conditionId}-${match[4]}`;
}

const PART_WORDS: Readonly<Record<string, string>> = {
  min: '“From”',
  max: '“To”',
  values: 'values',
  field: 'field',
  segment: 'segment',
  conditions: 'conditions',
};

/** The API names fields as a program would ("rules[0].conditions[1].min"); say it as the editor does ("Rule 1, condition 2, “From”"). */
function readableError(message: string): string {
  return message
    .replace(/rules\[(\d+)\](?:\.conditions\[(\d+)\])?(?:\.(\w+))?/g, (_, rule: string, condition: string | undefined, part: string | undefined) =>
      [
        `Rule ${Number(rule) + 1}`,
        condition === undefined ? null : `condition ${Number(condition) + 1}`,
        part === undefined ? null : (PART_WORDS[part] ?? part),
      ]
        .filter((piece) => piece !== null)
        .join(', '),
    )
    .replace(/^fallbackSegment\b/, 'The fallback segment');
}

function isTargeted(elementId: string, target: string | null): boolean {
  return target !== null && (elementId === target || elementId.startsWith(`${target}-`));
}

function focusTarget(target: string | null): void {
  if (target === null) return;
  const element = document.getElementById(target) ?? document.querySelector<HTMLElement>(`[id^="${CSS.escape(`${target}-`)}"]`);
  element?.focus();
}

/** The last count that succeeded (kept, dimmed, while a newer one is refused), and why the newest was refused. */
interface LiveCount {
  readonly counted: { readonly request: DefinitionRequest; readonly counts: RuleCounts } | null;
  readonly failure: { readonly message: string; readonly target: string | null } | null;
}

/**
 * An ordered rule list (the first rule a voter matches decides, the rest go to the fallback),
 * with a live count of the voters each rule and each segment would take, and saving it as a new
 * model version.
 */
export function SegmentRulesEditor({
  taxonomy,
  lookup,
  startingModel,
  onSaved,
}: {
  taxonomy: SegmentTaxonomy;
  lookup: SegmentLookup;
  /** The newest rule model, whose rules the editor starts from; null to start empty. */
  startingModel: SegmentModel | null;
  onSaved: (model: SegmentModel) => void;
}) {
  const ids = useId();
  const segmentKeys = taxonomy.segments.map((segment) => segment.key);
  const defaultFallback = segmentKeys.includes('other') ? 'other' : (segmentKeys[segmentKeys.length - 1] ?? '');
  const [draft, setDraft] = useState<RulesDraft>(() =>
    draftOf(startingModel === null ? null : (startingModel.definition as RuleModelDefinition), defaultFallback),
  );
  const [live, setLive] = useState<LiveCount>({ counted: null, failure: null });
  const [counting, setCounting] = useState(false);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; target: string | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const focusAfterRender = useRef<string | null>(null);
  const countErrorId = `${ids}-count-error`;
  const saveErrorId = `${ids}-save-error`;

  const counted = requestOf(draft, true);
  const requestKey = JSON.stringify(counted);
  const settledKey = useDebouncedValue(requestKey, COUNT_DEBOUNCE_MS);

  useEffect(() => {
    const request = JSON.parse(settledKey) as DefinitionRequest;
    const controller = new AbortController();
    setCounting(true);
    countRules(request.definition, controller.signal).then(
      (counts) => {
        setLive({ counted: { request, counts }, failure: null });
        setCounting(false);
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        setLive((current) => ({
          ...current,
          failure: { message: readableError(describeRefusal(failure)), target: targetOf(ids, fieldOfError(failure), request) },
        }));
        setCounting(false);
      },
    );
    return () => controller.abort();
  }, [settledKey, ids]);

  useEffect(() => {
    if (focusAfterRender.current === null) return;
    focusTarget(focusAfterRender.current);
    focusAfterRender.current = null;
  });

  const settling = requestKey !== settledKey || counting;
  const invalidTarget = saveError?.target ?? (live.failure !== null && !settling ? live.failure.target : null);
  // Numbers that no longer describe the rules on screen: dimmed until a count succeeds again.
  const stale = settling || live.failure !== null;
  const invalidDescription = saveError?.target != null ? saveErrorId : countErrorId;
  const invalid = (elementId: string) =>
    isTargeted(elementId, invalidTarget) ? { 'aria-invalid': true as const, 'aria-describedby': invalidDescription } : ({} as Record<string, never>);

  // What the last count said about each rule, by draft id, so numbers stay with their rule while rules move.
  const byRule = new Map<number, { voters: number; words: string }>();
  if (live.counted !== null) {
    const { request, counts } = live.counted;
    request.ruleIds.forEach((ruleId, index) => byRule.set(ruleId, { voters: counts.byRule[index] ?? 0, words: counts.rules[index] ?? '' }));
  }

  const changeRules = (change: (rules: readonly RuleDraft[]) => readonly RuleDraft[]) => {
    setSaveError(null);
    setDraft((current) => ({ ...current, rules: change(current.rules) }));
  };
  const changeRule = (ruleId: number, change: (rule: RuleDraft) => RuleDraft) =>
    changeRules((rules) => rules.map((rule) => (rule.id === ruleId ? change(rule) : rule)));
  const changeCondition = (ruleId: number, conditionId: number, change: Partial<ConditionDraft>) =>
    changeRule(ruleId, (rule) => ({
      ...rule,
      conditions: rule.conditions.map((condition) => (condition.id === conditionId ? { ...condition, ...change } : condition)),
    }));

  function moveRule(index: number, by: -1 | 1) {
    const target = index + by;
    if (target < 0 || target >= draft.rules.length) return;
    const moved = draft.rules[index];
    const stillMovable = by === -1 ? target > 0 : target < draft.rules.length - 1;
    const direction = by === -1 ? (stillMovable ? 'up' : 'down') : stillMovable ? 'down' : 'up';
    focusAfterRender.current = `${ids}-rule-${moved.id}-move-${direction}`;
    changeRules((rules) => {
      const next = [...rules];
      [next[index], next[target]] = [next[target], next[index]];
      return next;
    });
  }

  function deleteRule(index: number) {
    const neighbour = draft.rules[index + 1] ?? draft.rules[index - 1];
    focusAfterRender.current = neighbour === undefined ? `${ids}-add-rule` : `${ids}-rule-${neighbour.id}-delete`;
    changeRules((rules) => rules.filter((_, position) => position !== index));
  }

  function addRule() {
    const rule: RuleDraft = { id: nextDraftId++, segment: segmentKeys[0] ?? '', conditions: [] };
    focusAfterRender.current = `${ids}-rule-${rule.id}-segment`;
    changeRules((rules) => [...rules, rule]);
  }

  function addCondition(ruleId: number) {
    const condition = emptyCondition();
    focusAfterRender.current = `${ids}-condition-${condition.id}-field`;
    changeRule(ruleId, (rule) => ({ ...rule, conditions: [...rule.conditions, condition] }));
  }

  function removeCondition(ruleId: number, conditionId: number) {
    focusAfterRender.current = `${ids}-rule-${ruleId}-add-condition`;
    changeRule(ruleId, (rule) => ({ ...rule, conditions: rule.conditions.filter((condition) => condition.id !== conditionId) }));
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '') {
      setSaveError({ message: 'Give the model a name, so others know which rules these are.', target: `${ids}-name` });
      focusAfterRender.current = `${ids}-name`;
      return;
    }
    const incomplete = draft.rules.flatMap((rule, ruleIndex) =>
      rule.conditions.flatMap((condition, conditionIndex) => (isComplete(condition) ? [] : [{ rule, ruleIndex, condition, conditionIndex }])),
    );
    if (incomplete.length > 0) {
      const [first] = incomplete;
      setSaveError({
        message: `Rule ${first.ruleIndex + 1}, condition ${first.conditionIndex + 1} (${FIELD_LABELS[first.condition.field].toLowerCase()}) says nothing yet: ${
          isNumeric(first.condition.field) ? 'give a lowest value, a highest value, or both' : 'choose at least one value'
        }, or remove it.`,
        target: `${ids}-condition-${first.condition.id}`,
      });
      focusAfterRender.current = `${ids}-condition-${first.condition.id}`;
      return;
    }
    const request = requestOf(draft, false);
    setSaving(true);
    setSaveError(null);
    setNotice(null);
    try {
      const model = await createRuleModel(name.trim(), request.definition);
      setName('');
      setNotice(`Saved the rules as model v${model.version}, “${model.name}”. It is ready to apply under Models.`);
      onSaved(model);
    } catch (failure) {
      const target = targetOf(ids, fieldOfError(failure), request);
      setSaveError({ message: readableError(describeRefusal(failure)), target });
      focusAfterRender.current = target;
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="stack">
      <p className="muted small">
        {startingModel === null
          ? 'No rule model yet. Add rules in order: a voter goes to the segment of the first rule they match; everyone else to the fallback.'
          : `Starting from model v${startingModel.version} (${startingModel.name}). A voter goes to the segment of the first rule they match; everyone else to the fallback.`}
      </p>

      <div className="rules-layout">
        <div className="stack">
          {draft.rules.length === 0 ? (
            <p className="muted">No rules: every voter goes to the fallback segment.</p>
          ) : (
            <ol className="rule-list">
              {draft.rules.map((rule, index) => {
                const ruleId = `${ids}-rule-${rule.id}`;
                const known = byRule.get(rule.id);
                return (
                  <li key={rule.id} className="rule-card" style={{ borderLeftColor: lookup(rule.segment).colour }}>
                    <fieldset className="rule-fieldset" aria-describedby={`${ruleId}-words`}>
                      <legend className="visually-hidden">Rule {index + 1}</legend>
                      <div className="rule-header">
                        <h3>Rule {index + 1}</h3>
                        <p className={`rule-count${stale ? ' is-stale' : ''}`}>{known === undefined ? '' : formatQuantity(known.voters, 'voter')}</p>
                        <div className="row-actions">
                          <button
                            id={`${ruleId}-move-up`}
                            type="button"
                            className="secondary"
                            disabled={index === 0}
                            aria-label={`Move rule ${index + 1} up`}
                            onClick={() => moveRule(index, -1)}
                          >
                            Move up
                          </button>
                          <button
                            id={`${ruleId}-move-down`}
                            type="button"
                            className="secondary"
                            disabled={index === draft.rules.length - 1}
                            aria-label={`Move rule ${index + 1} down`}
                            onClick={() => moveRule(index, 1)}
                          >
                            Move down
                          </button>
                          <button
                            id={`${ruleId}-delete`}
                            type="button"
                            className="secondary"
                            aria-label={`Delete rule ${index + 1}`}
                            onClick={() => deleteRule(index)}
                          >
                            Delete
                          </button>
                        </div>
                      </div>
                      <p id={`${ruleId}-words`} className={`rule-words${stale ? ' is-stale' : ''}`}>
                        {known?.words ?? '\u00a0'}
                      </p>

                      <div className="field field-inline rule-segment">
                        <label htmlFor={`${ruleId}-segment`}>Segment</label>
                        <select
                          id={`${ruleId}-segment`}
                          value={rule.segment}
                          onChange={(event) => changeRule(rule.id, (current) => ({ ...current, segment: event.target.value }))}
                          {...invalid(`${ruleId}-segment`)}
                        >
                          {!segmentKeys.includes(rule.segment) && <option value={rule.segment}>{rule.segment} (not in the current taxonomy)</option>}
                          {taxonomy.segments.map((segment) => (
                            <option key={segment.key} value={segment.key}>
                              {segment.name}
                            </option>
                          ))}
                        </select>
                      </div>

                      {rule.conditions.length === 0 ? (
                        <p className="muted small">No conditions: this rule takes every voter an earlier rule did not.</p>
                      ) : (
                        <ul className="condition-list">
                          {rule.conditions.map((condition, conditionIndex) => (
                            <ConditionRow
                              key={condition.id}
                              prefix={`${ids}-condition-${condition.id}`}
                              label={`Condition ${conditionIndex + 1} of rule ${index + 1}`}
                              condition={condition}
                              invalid={invalid}
                              onChange={(change) => changeCondition(rule.id, condition.id, change)}
                              onRemove={() => removeCondition(rule.id, condition.id)}
                            />
                          ))}
                        </ul>
                      )}
                      <div className="actions">
                        <button
                          id={`${ruleId}-add-condition`}
                          type="button"
                          className="secondary"
                          disabled={rule.conditions.length >= MAX_CONDITIONS}
                          onClick={() => addCondition(rule.id)}
                        >
                          Add a condition<span className="visually-hidden"> to rule {index + 1}</span>
                        </button>
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ol>
          )}
          <div className="actions">
            <button id={`${ids}-add-rule`} type="button" className="secondary" disabled={draft.rules.length >= MAX_RULES} onClick={addRule}>
              Add a rule
            </button>
          </div>
          <div className="rule-card rule-fallback" style={{ borderLeftColor: lookup(draft.fallbackSegment).colour }}>
            <div className="field field-inline">
              <label htmlFor={`${ids}-fallback`}>Everyone else goes to</label>
              <select
                id={`${ids}-fallback`}
                value={draft.fallbackSegment}
                onChange={(event) => {
                  setSaveError(null);
                  setDraft((current) => ({ ...current, fallbackSegment: event.target.value }));
                }}
                {...invalid(`${ids}-fallback`)}
              >
                {taxonomy.segments.map((segment) => (
                  <option key={segment.key} value={segment.key}>
                    {segment.name}
                  </option>
                ))}
              </select>
            </div>
            <p className={`rule-count${stale ? ' is-stale' : ''}`}>{live.counted === null ? '' : formatQuantity(live.counted.counts.fallback, 'voter')}</p>
          </div>
        </div>

        <LiveCountPanel live={live} settling={settling} taxonomy={taxonomy} lookup={lookup} errorId={countErrorId} />
      </div>

      <form className="save-turf" aria-label="Save the rules" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>Model name</label>
          <input
            id={`${ids}-name`}
            type="text"
            maxLength={200}
            autoComplete="off"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              if (saveError?.target === `${ids}-name`) setSaveError(null);
            }}
            {...invalid(`${ids}-name`)}
          />
        </div>
        <SubmitButton pending={saving} label="Save as a new model" pendingLabel="Saving…" />
      </form>
      <FormError id={saveErrorId} error={saveError?.message ?? null} />
      <p role="status" className="form-notice">
        {notice}
      </p>
    </div>
  );
}

function ConditionRow({
  prefix,
  label,
  condition,
  invalid,
  onChange,
  onRemove,
}: {
  prefix: string;
  label: string;
  condition: ConditionDraft;
  invalid: (elementId: string) => Record<string, unknown>;
  onChange: (change: Partial<ConditionDraft>) => void;
  onRemove: () => void;
}) {
  const { field } = condition;
  const incomplete = !isComplete(condition);
  return (
    <li className="condition-row">
      <fieldset className="condition-fieldset">
        <legend className="visually-hidden">{label}</legend>
        <div className="field condition-field">
          <label htmlFor={`${prefix}-field`}>Field</label>
          <select
            id={`${prefix}-field`}
            value={field}
            // A new field starts blank: the old values mean nothing for it.
            onChange={(event) => onChange({ field: event.target.value as RuleField, min: '', max: '', values: [], counties: '' })}
            {...invalid(`${prefix}-field`)}
          >
            <optgroup label="Numbers">
              {NUMERIC_RULE_FIELDS.map((each) => (
                <option key={each} value={each}>
                  {FIELD_LABELS[each]}
                </option>
              ))}
            </optgroup>
            <optgroup label="Lists">
              {LISTED_RULE_FIELDS.map((each) => (
                <option key={each} value={each}>
                  {FIELD_LABELS[each]}
                </option>
              ))}
            </optgroup>
          </select>
        </div>

        {isNumeric(field) && (
          <div className="condition-bounds">
            <div className="field field-narrow">
              <label htmlFor={`${prefix}-min`}>From</label>
              <input
                id={`${prefix}-min`}
                type="number"
                inputMode="numeric"
                min={NUMERIC_FIELD_LIMITS[field][0]}
                max={NUMERIC_FIELD_LIMITS[field][1]}
                value={condition.min}
                onChange={(event) => onChange({ min: event.target.value })}
                {...invalid(`${prefix}-min`)}
              />
            </div>
            <div className="field field-narrow">
              <label htmlFor={`${prefix}-max`}>To</label>
              <input
                id={`${prefix}-max`}
                type="number"
                inputMode="numeric"
                min={NUMERIC_FIELD_LIMITS[field][0]}
                max={NUMERIC_FIELD_LIMITS[field][1]}
                value={condition.max}
                onChange={(event) => onChange({ max: event.target.value })}
                {...invalid(`${prefix}-max`)}
              />
            </div>
          </div>
        )}

        {field === 'county' && (
          <div className="field condition-counties">
            <label htmlFor={`${prefix}-values-text`}>Counties</label>
            <input
              id={`${prefix}-values-text`}
              type="text"
              autoComplete="off"
              aria-describedby={`${prefix}-counties-hint`}
              value={condition.counties}
              onChange={(event) => onChange({ counties: event.target.value })}
              {...invalid(`${prefix}-values-text`)}
            />
            <p id={`${prefix}-counties-hint`} className="hint">
              Separated by commas, as the voter file names them.
            </p>
          </div>
        )}

        {!isNumeric(field) && field !== 'county' && (
          <fieldset className="condition-values">
            <legend className="visually-hidden">{FIELD_LABELS[field]} is one of</legend>
            {RULE_FIELD_VALUES[field].map((value) => (
              <div className="checkbox" key={value}>
                <input
                  id={`${prefix}-values-${value}`}
                  type="checkbox"
                  checked={condition.values.includes(value)}
                  onChange={(event) =>
                    onChange({ values: event.target.checked ? [...condition.values, value] : condition.values.filter((each) => each !== value) })
                  }
                  {...invalid(`${prefix}-values-${value}`)}
                />
                <label htmlFor={`${prefix}-values-${value}`}>{VALUE_LABELS[field][value] ?? value}</label>
              </div>
            ))}
          </fieldset>
        )}

        <div className="condition-remove">
          <button type="button" className="secondary" aria-label={`Remove ${label.toLowerCase()}`} onClick={onRemove}>
            Remove
          </button>
        </div>
        {incomplete && <p className="hint condition-hint">Not counted until it has {isNumeric(field) ? 'a bound' : 'a value'}.</p>}
      </fieldset>
    </li>
  );
}

/** What the rules would do to the voter file: voters counted, and per segment, as the rules change. */
function LiveCountPanel({
  live,
  settling,
  taxonomy,
  lookup,
  errorId,
}: {
  live: LiveCount;
  settling: boolean;
  taxonomy: SegmentTaxonomy;
  lookup: SegmentLookup;
  errorId: string;
}) {
  const counts = live.counted?.counts ?? null;
  const total = counts?.total ?? 0;
  const stale = settling || live.failure !== null;
  return (
    <aside className="live-count rules-count" aria-label="Live count" aria-busy={settling}>
      <p className="result-total" aria-live="polite" aria-atomic="true">
        {settling ? 'Counting…' : live.failure !== null ? 'Not counted' : counts === null ? 'Counting…' : `${formatQuantity(total, 'voter')} counted`}
      </p>
      {live.failure !== null && !settling && (
        <p id={errorId} role="alert" className="form-error">
          {live.failure.message}
        </p>
      )}
      <table className={`segment-share-table${stale ? ' is-stale' : ''}`}>
        <caption className="visually-hidden">Voters per segment under these rules</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Voters</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {taxonomy.segments.map((segment) => {
            const voters = counts?.bySegment[segment.key] ?? 0;
            const share = total === 0 ? 0 : voters / total;
            const look = lookup(segment.key);
            return (
              <tr key={segment.key}>
                <th scope="row">
                  <SegmentLabel look={look} />
                  <span className="share-bar" aria-hidden="true">
                    <span style={{ width: `${share * 100}%`, background: look.colour }} />
                  </span>
                </th>
                <td className="numeric">{counts === null ? '–' : formatCount(voters)}</td>
                <td className="numeric muted">{counts === null ? '' : `${Math.round(share * 100)}%`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint">Among the voters you may see. Conditions still without a value are left out until they have one.</p>
    </aside>
  );
}
