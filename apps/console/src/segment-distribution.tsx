import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatCount } from './format';
import { FormError } from './form-fields';
import { SegmentLabel, type SegmentLookup } from './segment-swatch';
import { type DistributionDimension, getSegmentDistribution, type SegmentDistribution, type SegmentModel, type SegmentTaxonomy } from './segments.client';

// The charting library is most of this page's weight; only people who open it should download it.
const SegmentDistributionChart = lazy(() => import('./segment-distribution-chart').then((module) => ({ default: module.SegmentDistributionChart })));

/** The chart shows the largest groups; the table below has every one. */
const CHART_BARS = 15;
const BAR_HEIGHT = 30;
const AXIS_HEIGHT = 36;

const DIMENSIONS: ReadonlyArray<{ value: DistributionDimension; label: string; plural: string; all: string }> = [
  { value: 'county', label: 'By county', plural: 'counties', all: 'All counties' },
  { value: 'organization', label: 'By organization', plural: 'organizations', all: 'All organizations' },
];

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly distribution: SegmentDistribution }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Where a model's segments fall: voters per segment by county, or by the turf of each member
 * organization, as a stacked bar chart and the same numbers as a table.
 */
export function SegmentDistributionSection({
  model,
  taxonomy,
  lookup,
  refreshKey,
}: {
  model: SegmentModel;
  taxonomy: SegmentTaxonomy | null;
  lookup: SegmentLookup;
  /** Changes when the model is applied again, so the numbers are fetched afresh. */
  refreshKey: string;
}) {
  const ids = useId();
  const [by, setBy] = useState<DistributionDimension>('county');
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const dimension = DIMENSIONS.find((each) => each.value === by) ?? DIMENSIONS[0];

  useEffect(() => {
    const controller = new AbortController();
    // The previous numbers stay on screen (dimmed) until the new ones arrive, so nothing jumps.
    setLoaded((current) => (current.status === 'loaded' ? current : { status: 'loading' }));
    getSegmentDistribution(model.id, by, controller.signal).then(
      (distribution) => setLoaded({ status: 'loaded', distribution }),
      (failure: unknown) => {
        if (!isAbortError(failure)) setLoaded({ status: 'failed', message: describeError(failure) });
      },
    );
    return () => controller.abort();
  }, [model.id, by, refreshKey, attempt]);

  const distribution = loaded.status === 'loaded' ? loaded.distribution : null;
  const stale = distribution !== null && (distribution.by !== by || distribution.modelId !== model.id);
  const rows = distribution?.rows ?? [];
  // The taxonomy's order and colours first, then any key only this model knows.
  const keys = [...(taxonomy?.segments.map((segment) => segment.key) ?? [])];
  for (const row of rows) for (const key of Object.keys(row.counts)) if (!keys.includes(key)) keys.push(key);
  const looks = keys.map((key) => lookup(key));
  const charted = rows.slice(0, CHART_BARS);
  const totals = Object.fromEntries(keys.map((key) => [key, rows.reduce((sum, row) => sum + (row.counts[key] ?? 0), 0)]));
  const grandTotal = rows.reduce((sum, row) => sum + row.total, 0);
  const chartHeight = Math.max(1, charted.length) * BAR_HEIGHT + AXIS_HEIGHT;

  return (
    <div className="stack">
      <div className="section-bar">
        <p className="muted small">
          Model v{model.version}: {model.name}
          {model.active ? ' (active)' : ''}. Among the voters you may see.
        </p>
        <fieldset className="segmented">
          <legend className="visually-hidden">Group voters</legend>
          {DIMENSIONS.map((each) => (
            <span key={each.value}>
              <input
                id={`${ids}-${each.value}`}
                type="radio"
                name={`${ids}-by`}
                value={each.value}
                checked={by === each.value}
                onChange={() => setBy(each.value)}
              />
              <label htmlFor={`${ids}-${each.value}`}>{each.label}</label>
            </span>
          ))}
        </fieldset>
      </div>

      {loaded.status === 'failed' && <FormError error={loaded.message} onRetry={() => setAttempt((count) => count + 1)} />}

      <ul className="segment-legend" aria-label="Segments">
        {looks.map((look) => (
          <li key={look.key}>
            <SegmentLabel look={look} />
          </li>
        ))}
      </ul>

      <div className={`distribution-body${stale ? ' is-stale' : ''}`} aria-busy={distribution === null || stale}>
        {distribution === null ? (
          loaded.status === 'loading' && (
            <p className="muted chart-placeholder" style={{ minHeight: chartHeight }}>
              Loading the distribution…
            </p>
          )
        ) : rows.length === 0 ? (
          <p className="muted">
            {by === 'county'
              ? 'No classified voters to show yet.'
              : 'No member organization holds turf with classified voters yet; assign turf to see segments by organization.'}
          </p>
        ) : (
          <>
            <Suspense
              fallback={
                <p className="muted chart-placeholder" style={{ minHeight: chartHeight }}>
                  Loading the chart…
                </p>
              }
            >
              <SegmentDistributionChart
                rows={charted}
                segments={looks}
                height={chartHeight}
                label={`Stacked bar chart of voters per segment for the ${charted.length} largest ${dimension.plural}; the table below gives every number.`}
              />
            </Suspense>
            {rows.length > charted.length && (
              <p className="hint">
                The chart shows the {charted.length} largest of {rows.length} {dimension.plural}; the table has them all.
              </p>
            )}
            <div className="table-scroll distribution-table" tabIndex={0} role="region" aria-labelledby={`${ids}-caption`}>
              <table>
                <caption id={`${ids}-caption`} className="table-caption">
                  Voters per segment {by === 'county' ? 'by county' : 'by member organization'}, largest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{by === 'county' ? 'County' : 'Organization'}</th>
                    {looks.map((look) => (
                      <th key={look.key} scope="col" className="numeric wrap-header">
                        <SegmentLabel look={look} />
                      </th>
                    ))}
                    <th scope="col" className="numeric">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.key}>
                      <th scope="row">{row.label}</th>
                      {keys.map((key) => (
                        <td key={key} className="numeric">
                          {formatCount(row.counts[key] ?? 0)}
                        </td>
                      ))}
                      <td className="numeric strong">{formatCount(row.total)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{dimension.all}</th>
                    {keys.map((key) => (
                      <td key={key} className="numeric">
                        {formatCount(totals[key])}
                      </td>
                    ))}
                    <td className="numeric strong distribution-total">{formatCount(grandTotal)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
