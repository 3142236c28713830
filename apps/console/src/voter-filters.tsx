import { useId } from 'react';
import { SegmentSwatch } from './segment-swatch';
import type { SegmentOption } from './use-segment-options';
import { NO_VOTER_FILTERS, PARTIES, PROPENSITIES, RACE_ETHNICITIES, type VoterFilters } from './voter-file.client';
import { PARTY_LABELS, PROPENSITY_LABELS, RACE_ETHNICITY_LABELS } from './voter-labels';

type TextFilter = 'county' | 'precinct' | 'zip' | 'city';

const TEXT_FILTERS: ReadonlyArray<readonly [TextFilter, string]> = [
  ['county', 'County'],
  ['precinct', 'Precinct'],
  ['zip', 'ZIP'],
  ['city', 'City'],
];

interface VoterFiltersFormProps {
  readonly filters: VoterFilters;
  readonly onChange: (filters: VoterFilters) => void;
  /** The alliance's values segments; null leaves the segment filter out (still loading, or not to be had). */
  readonly segments: readonly SegmentOption[] | null;
}

/** The filter inputs; every change goes straight up, the browser decides when to search. */
export function VoterFiltersForm({ filters, onChange, segments }: VoterFiltersFormProps) {
  const ids = useId();
  const set = (name: keyof VoterFilters) => (event: { target: { value: string } }) => onChange({ ...filters, [name]: event.target.value });
  const chosenSegment = segments?.find((segment) => segment.key === filters.segment);

  return (
    <form className="filters" role="search" aria-label="Voter filters" onSubmit={(event) => event.preventDefault()}>
      <p id={`${ids}-lists`} className="hint filters-hint">
        County, precinct, ZIP and city take several values separated by commas, in any case (wake, Wake and WAKE all match).
      </p>
      {TEXT_FILTERS.map(([name, label]) => (
        <div className="field" key={name}>
          <label htmlFor={`${ids}-${name}`}>{label}</label>
          <input
            id={`${ids}-${name}`}
            type="text"
            inputMode={name === 'zip' ? 'numeric' : undefined}
            autoComplete="off"
            aria-describedby={`${ids}-lists`}
            value={filters[name]}
            onChange={set(name)}
          />
        </div>
      ))}
      <SelectFilter
        id={`${ids}-party`}
        label="Party"
        value={filters.party}
        onChange={set('party')}
        options={PARTIES.map((value) => [value, PARTY_LABELS[value]])}
      />
      <div className="field">
        <label htmlFor={`${ids}-age-min`}>Age from</label>
        <input id={`${ids}-age-min`} type="number" inputMode="numeric" min={0} max={130} value={filters.ageMin} onChange={set('ageMin')} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-age-max`}>Age to</label>
        <input id={`${ids}-age-max`} type="number" inputMode="numeric" min={0} max={130} value={filters.ageMax} onChange={set('ageMax')} />
      </div>
      <SelectFilter
        id={`${ids}-propensity`}
        label="Propensity"
        value={filters.propensity}
        onChange={set('propensity')}
        options={PROPENSITIES.map((value) => [value, PROPENSITY_LABELS[value]])}
      />
      <SelectFilter
        id={`${ids}-race`}
        label="Race / ethnicity"
        value={filters.raceEthnicity}
        onChange={set('raceEthnicity')}
        options={RACE_ETHNICITIES.map((value) => [value, RACE_ETHNICITY_LABELS[value]])}
      />
      {segments !== null && (
        <SelectFilter
          id={`${ids}-segment`}
          label="Values segment"
          className="segment-filter"
          swatch={chosenSegment?.colour}
          value={filters.segment}
          onChange={set('segment')}
          options={[
            ...segments.map((segment): readonly [string, string] => [segment.key, segment.name]),
            // Chosen under another taxonomy (another alliance): still shown, since it is still sent.
            ...(filters.segment !== '' && chosenSegment === undefined ? [[filters.segment, filters.segment.replace(/_/g, ' ')] as const] : []),
          ]}
        />
      )}
      <SelectFilter
        id={`${ids}-phone`}
        label="Has phone"
        value={filters.hasPhone}
        onChange={set('hasPhone')}
        options={[
          ['true', 'Yes'],
          ['false', 'No'],
        ]}
      />
      <div className="field">
        <label htmlFor={`${ids}-active`}>Voters</label>
        <select id={`${ids}-active`} value={filters.active} onChange={set('active')}>
          <option value="">Active</option>
          <option value="false">Inactive</option>
        </select>
      </div>
      <div className="filters-actions">
        <button type="button" className="secondary" onClick={() => onChange(NO_VOTER_FILTERS)}>
          Clear filters
        </button>
      </div>
    </form>
  );
}

interface SelectFilterProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (event: { target: { value: string } }) => void;
  readonly options: ReadonlyArray<readonly [string, string]>;
  /** A colour shown beside the label, for what is chosen. */
  readonly swatch?: string;
  readonly className?: string;
}

function SelectFilter({ id, label, value, onChange, options, swatch, className }: SelectFilterProps) {
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id} className={swatch === undefined ? undefined : 'segment-label'}>
        {label}
        {swatch !== undefined && <SegmentSwatch colour={swatch} />}
      </label>
      <select id={id} value={value} onChange={onChange}>
        <option value="">Any</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}
