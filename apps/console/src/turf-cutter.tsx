import { type FormEvent, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatQuantity } from './format';
import { FormError, SubmitButton } from './form-fields';
import { SegmentSwatch } from './segment-swatch';
import { countTurf, createTurf } from './turf.client';
import { EMPTY_TURF_FILTER, type TurfFilterDraft, turfFilterOf } from './turf-filter';
import { useDebouncedValue } from './use-debounced-value';
import { type SegmentOption, useSegmentOptions } from './use-segment-options';
import { PARTIES, PROPENSITIES } from './voter-file.client';
import { PARTY_LABELS, PROPENSITY_LABELS } from './voter-labels';

const COUNT_DEBOUNCE_MS = 300;

/** Who cuts: an anchor (inside its region) or the alliance (anywhere). */
export interface Cutter {
  /** The anchor's slug; null when the alliance cuts. */
  readonly anchor: string | null;
  readonly name: string;
  /** The counties that may be named; the anchor's region, or every anchor's for the alliance. */
  readonly counties: readonly string[];
  /** Whether at least one county must be named (an anchor always names counties of its region). */
  readonly needsCounty: boolean;
}

type LiveCount =
  | { readonly status: 'idle'; readonly hint: string }
  | { readonly status: 'counting' }
  | { readonly status: 'counted'; readonly total: number }
  | { readonly status: 'failed'; readonly message: string };

/** The filter form, the number of voters it matches as it changes, and saving it as a turf. */
export function TurfCutter({ cutter, onSaved }: { cutter: Cutter; onSaved: (notice: string) => void }) {
  const ids = useId();
  const [draft, setDraft] = useState<TurfFilterDraft>(EMPTY_TURF_FILTER);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [count, setCount] = useState<LiveCount>({ status: 'idle', hint: '' });
  const segments = useSegmentOptions();

  const filter = turfFilterOf(draft);
  const request = JSON.stringify({ anchor: cutter.anchor, filter });
  const settledRequest = useDebouncedValue(request, COUNT_DEBOUNCE_MS);
  const missingCounty = cutter.needsCounty && draft.counties.length === 0;

  useEffect(() => {
    const { anchor, filter: settledFilter } = JSON.parse(settledRequest) as { anchor: string | null; filter: ReturnType<typeof turfFilterOf> };
    if (cutter.needsCounty && settledFilter.county === undefined) {
      setCount({ status: 'idle', hint: 'Choose at least one county of your region to count its voters.' });
      return;
    }
    const controller = new AbortController();
    setCount({ status: 'counting' });
    countTurf(settledFilter, anchor, controller.signal).then(
      (answer) => setCount({ status: 'counted', total: answer.total }),
      (failure: unknown) => {
        if (!isAbortError(failure)) setCount({ status: 'failed', message: describeError(failure) });
      },
    );
    return () => controller.abort();
  }, [settledRequest, cutter.needsCounty]);

  const settling = request !== settledRequest || count.status === 'counting';

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '') {
      setSaveError('Give the turf a name, so your members know it.');
      return;
    }
    if (missingCounty) {
      setSaveError('Choose at least one county of your region first.');
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const turf = await createTurf(name.trim(), filter, cutter.anchor);
      setName('');
      onSaved(`Saved “${turf.name}” as a draft. Materialize it below to freeze its voters before splitting or assigning it.`);
    } catch (failure) {
      setSaveError(describeError(failure));
    } finally {
      setSaving(false);
    }
  }

  const set = <K extends keyof TurfFilterDraft>(key: K, value: TurfFilterDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const toggle = (key: 'counties' | 'parties' | 'propensities' | 'segments', value: string, on: boolean) =>
    setDraft((current) => ({ ...current, [key]: on ? [...current[key], value] : current[key].filter((each) => each !== value) }));

  return (
    <div className="stack">
      <form className="turf-filters" aria-label="Turf filter" onSubmit={(event) => event.preventDefault()}>
        <fieldset className="choice-group">
          <legend>Counties{cutter.anchor !== null && <span className="muted"> in {cutter.name}&rsquo;s region</span>}</legend>
          {cutter.counties.length === 0 && <p className="hint">No counties are set for this region yet; an alliance admin sets them.</p>}
          {cutter.counties.map((county) => (
            <div className="checkbox" key={county}>
              <input
                id={`${ids}-county-${county}`}
                type="checkbox"
                checked={draft.counties.includes(county)}
                onChange={(event) => toggle('counties', county, event.target.checked)}
              />
              <label htmlFor={`${ids}-county-${county}`}>{county}</label>
            </div>
          ))}
        </fieldset>

        <div className="turf-filter-fields">
          <div className="field">
            <label htmlFor={`${ids}-precincts`}>Precincts</label>
            <input
              id={`${ids}-precincts`}
              type="text"
              autoComplete="off"
              aria-describedby={`${ids}-lists`}
              value={draft.precincts}
              onChange={(event) => set('precincts', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-zips`}>ZIP codes</label>
            <input
              id={`${ids}-zips`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              aria-describedby={`${ids}-lists`}
              value={draft.zips}
              onChange={(event) => set('zips', event.target.value)}
            />
          </div>
          <p id={`${ids}-lists`} className="hint turf-filter-hint">
            Precincts and ZIP codes take several values separated by commas. Leave a field empty to take everyone.
          </p>
          <div className="field field-narrow">
            <label htmlFor={`${ids}-age-min`}>Age from</label>
            <input
              id={`${ids}-age-min`}
              type="number"
              inputMode="numeric"
              min={18}
              max={130}
              value={draft.ageMin}
              onChange={(event) => set('ageMin', event.target.value)}
            />
          </div>
          <div className="field field-narrow">
            <label htmlFor={`${ids}-age-max`}>Age to</label>
            <input
              id={`${ids}-age-max`}
              type="number"
              inputMode="numeric"
              min={18}
              max={130}
              value={draft.ageMax}
              onChange={(event) => set('ageMax', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-phone`}>Has a phone</label>
            <select id={`${ids}-phone`} value={draft.hasPhone} onChange={(event) => set('hasPhone', event.target.value)}>
              <option value="">Any</option>
              <option value="true">Yes</option>
              <option value="false">No</option>
            </select>
          </div>
        </div>

        <fieldset className="choice-group">
          <legend>Party</legend>
          {PARTIES.map((party) => (
            <div className="checkbox" key={party}>
              <input
                id={`${ids}-party-${party}`}
                type="checkbox"
                checked={draft.parties.includes(party)}
                onChange={(event) => toggle('parties', party, event.target.checked)}
              />
              <label htmlFor={`${ids}-party-${party}`}>{PARTY_LABELS[party]}</label>
            </div>
          ))}
        </fieldset>

        <fieldset className="choice-group">
          <legend>Propensity</legend>
          {PROPENSITIES.map((propensity) => (
            <div className="checkbox" key={propensity}>
              <input
                id={`${ids}-propensity-${propensity}`}
                type="checkbox"
                checked={draft.propensities.includes(propensity)}
                onChange={(event) => toggle('propensities', propensity, event.target.checked)}
              />
              <label htmlFor={`${ids}-propensity-${propensity}`}>{PROPENSITY_LABELS[propensity]}</label>
            </div>
          ))}
        </fieldset>

        {segments !== null && segments.length > 0 && (
          <fieldset className="choice-group">
            <legend>Values segment</legend>
            {segmentChoices(segments, draft.segments).map((segment) => (
              <div className="checkbox" key={segment.key}>
                <input
                  id={`${ids}-segment-${segment.key}`}
                  type="checkbox"
                  checked={draft.segments.includes(segment.key)}
                  onChange={(event) => toggle('segments', segment.key, event.target.checked)}
                />
                <label htmlFor={`${ids}-segment-${segment.key}`} className="segment-label">
                  <SegmentSwatch colour={segment.colour} />
                  {segment.name}
                </label>
              </div>
            ))}
          </fieldset>
        )}

        <div className="filters-actions">
          <button type="button" className="secondary" onClick={() => setDraft(EMPTY_TURF_FILTER)}>
            Clear filter
          </button>
        </div>
      </form>

      <div className="live-count" aria-busy={settling}>
        <p className="result-total" aria-live="polite" aria-atomic="true" id={`${ids}-count`}>
          {count.status === 'counted' && !settling && `${formatQuantity(count.total, 'voter')} ${count.total === 1 ? 'matches' : 'match'}`}
          {settling && 'Counting…'}
          {count.status === 'idle' && !settling && <span className="muted">{count.hint}</span>}
        </p>
        {count.status === 'failed' && !settling && (
          <p role="alert" className="form-error">
            {count.message}
          </p>
        )}
      </div>

      <form className="save-turf" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>Turf name</label>
          <input
            id={`${ids}-name`}
            type="text"
            maxLength={200}
            autoComplete="off"
            aria-describedby={saveError !== null ? `${ids}-save-error` : undefined}
            aria-invalid={saveError !== null || undefined}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <SubmitButton pending={saving} label="Save as turf" pendingLabel="Saving…" />
      </form>
      <FormError id={`${ids}-save-error`} error={saveError} />
    </div>
  );
}

/** The taxonomy's segments, then any ticked that it does not have (ticked under another alliance's): what is sent stays in view. */
function segmentChoices(segments: readonly SegmentOption[], ticked: readonly string[]): readonly SegmentOption[] {
  const unknown = ticked.filter((key) => !segments.some((segment) => segment.key === key));
  return [...segments, ...unknown.map((key) => ({ key, name: key.replace(/_/g, ' '), colour: 'transparent' }))];
}
