import { lazy, Suspense, useId, useState } from 'react';
import { FigureTile } from './figure-tile';
import { formatCount } from './format';
import { FormError } from './form-fields';
import { NumericHeaders } from './numeric-headers';
import {
  type BreakdownRow,
  contactResultsCsvHref,
  type Dimension,
  fetchProgressBreakdown,
  fetchProgressSummary,
  type ProgressScope,
  type ProgressSummary,
  progressTableCsvHref,
} from './progress.client';
import { ProgressTargetForm } from './progress-target-form';
import { useSession } from './session-context';
import { usePolled } from './texting-shared';
import { usePageVisible } from './use-page-visible';
import './dialer-dashboard.css';
import './progress-page.css';

// The charting library is most of this page's weight: it loads with the page, not with the console.
const BurnUpChart = lazy(() => import('./progress-charts').then((module) => ({ default: module.BurnUpChart })));
const BreakdownBars = lazy(() => import('./progress-charts').then((module) => ({ default: module.BreakdownBars })));
const DailyActivityChart = lazy(() => import('./progress-charts').then((module) => ({ default: module.DailyActivityChart })));

/** The rollups count new attempts within a second or two; reading every five keeps a phone bank's figures live. */
const REFRESH_MS = 5_000;
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const RATE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

const DIMENSION_LABELS: Record<Dimension, string> = {
  organization: 'Organizations',
  region: 'Regions',
  county: 'Counties',
  segment: 'Segments',
  campaign: 'Campaigns',
  channel: 'Channels',
  day: 'Days',
  precinct: 'Precincts',
};

const DIMENSION_SINGULAR: Record<Dimension, string> = {
  organization: 'Organization',
  region: 'Region',
  county: 'County',
  segment: 'Segment',
  campaign: 'Campaign',
  channel: 'Channel',
  day: 'Day',
  precinct: 'Precinct',
};

function dimensionsOf(scope: ProgressScope): Dimension[] {
  const all: Dimension[] = ['organization', 'region', 'county', 'segment', 'day', 'campaign', 'channel', 'precinct'];
  if (scope.kind === 'alliance') return all;
  if (scope.kind === 'region') return all.filter((dimension) => dimension !== 'region');
  return all.filter((dimension) => dimension !== 'region' && dimension !== 'organization');
}

const percentOf = (value: number | null) => (value === null ? '—' : PERCENT.format(value));
const rateOf = (value: number | null) => (value === null ? '—' : RATE.format(value));
const dayOf = (day: string) => DAY.format(new Date(`${day}T00:00:00Z`));

/**
 * Progress to target, as a data lead, an anchor or a member reads it: where the scope stands
 * against its target, the burn-up with the recent pace projected, and the figures by organization,
 * region, county, segment, day, campaign, channel and precinct. Rows drill down to the scopes the
 * reader may open; every table downloads as CSV. Read again every few seconds while a phone bank runs.
 */
export function ProgressPage() {
  const [scope, setScope] = useState<string | undefined>(undefined);
  return <ScopeView key={scope ?? ''} scope={scope} onScope={setScope} />;
}

function ScopeView({ scope, onScope }: { scope: string | undefined; onScope: (scope: string) => void }) {
  const ids = useId();
  const visible = usePageVisible();
  const summary = usePolled((signal) => fetchProgressSummary(scope, signal), REFRESH_MS, visible);
  const data = summary.data;
  const parent = data === null ? null : parentOf(data);
  // The API decides (progress.manage_targets); the console offers the form to the roles it allows.
  const setsTargets = useSession().memberships.some(
    (membership) => membership.organizationId === null && (membership.role === 'alliance_admin' || membership.role === 'data_lead'),
  );

  return (
    <div className="page dialer-page progress-page">
      <header className="page-header">
        <h1>Progress to target</h1>
        <p className="lede" aria-live="polite">
          {data === null ? (
            'Loading the figures…'
          ) : (
            <>
              Unique voters reached, counted exactly. Days in {data.reportingTimeZone}. Updated{' '}
              <time dateTime={data.asOf}>{CLOCK.format(new Date(data.asOf))}</time>
              {visible ? ', every few seconds' : '; paused while this tab is hidden'}
              {data.queuedAttempts > 0 ? ` (${formatCount(data.queuedAttempts)} new attempts being counted).` : '.'}
            </>
          )}
        </p>
      </header>
      <FormError error={summary.error} />
      {data !== null && (
        <>
          <div className="section-bar progress-scope-bar">
            <label className="field field-inline">
              <span>Figures for</span>
              <select value={data.scope.reference} onChange={(event) => onScope(event.target.value)}>
                {data.scopes.map((each) => (
                  <option key={each.reference} value={each.reference}>
                    {each.kind === 'organization' && each.parentAnchorId !== null && data.scopes.length > 1 ? `— ${each.name}` : each.name}
                  </option>
                ))}
              </select>
            </label>
            {parent !== null && (
              <button type="button" className="secondary" onClick={() => onScope(parent.reference)}>
                ↑ Up to {parent.name}
              </button>
            )}
          </div>

          <section className="panel" aria-labelledby={`${ids}-target`}>
            <h2 id={`${ids}-target`}>{data.scope.name}</h2>
            <Headline summary={data} />
            <Suspense fallback={<div className="chart-placeholder" style={{ height: 300 }} />}>
              <BurnUpChart
                points={data.burnUp}
                target={data.target?.voters ?? null}
                projection={data.projection}
                label={`Burn-up: ${formatCount(data.figures.votersReached)} unique voters reached${data.target === null ? '' : ` of a target of ${formatCount(data.target.voters)}`}`}
              />
            </Suspense>
            <p className="small">
              <a href={progressTableCsvHref(data.scope.reference, 'burn-up')} download>
                Download the burn-up (CSV)
              </a>
            </p>
          </section>

          <Breakdowns summary={data} onScope={onScope} />

          {setsTargets && (
            <section className="panel" aria-labelledby={`${ids}-targets`}>
              <h2 id={`${ids}-targets`}>Targets</h2>
              <ProgressTargetForm scopes={data.scopes} onSaved={summary.refresh} />
            </section>
          )}

          <section className="panel" aria-labelledby={`${ids}-results`}>
            <h2 id={`${ids}-results`}>Contact results for VAN and Parsons</h2>
            <ContactResultsForm scope={data.scope.reference} />
          </section>
        </>
      )}
    </div>
  );
}

function parentOf(summary: ProgressSummary): ProgressScope | null {
  const { scope, scopes } = summary;
  if (scope.kind === 'organization') {
    const anchorId = scope.parentAnchorId ?? scope.id;
    return scopes.find((each) => each.kind === 'region' && each.id === anchorId) ?? scopes.find((each) => each.kind === 'alliance') ?? null;
  }
  if (scope.kind === 'region') return scopes.find((each) => each.kind === 'alliance') ?? null;
  return null;
}

function Headline({ summary }: { summary: ProgressSummary }) {
  const { figures, target, projection } = summary;
  return (
    <>
      <dl className="dialer-tiles" aria-label="Figures">
        <FigureTile
          label="Unique voters reached"
          value={formatCount(figures.votersReached)}
          hint={
            target === null
              ? 'No target set'
              : `${PERCENT.format(figures.votersReached / target.voters)} of ${formatCount(target.voters)} by ${dayOf(target.targetDate)}`
          }
        />
        <FigureTile
          label="Open to reform"
          value={formatCount(figures.openToReform)}
          hint={figures.votersReached === 0 ? undefined : `${percentOf(figures.openToReform / figures.votersReached)} of those reached`}
        />
        <FigureTile label="Conversations" value={formatCount(figures.conversations)} />
        <FigureTile label="Attempts" value={formatCount(figures.attempts)} hint={`${formatCount(figures.votersAttempted)} voters`} />
        <FigureTile label="Contact rate" value={percentOf(figures.contactRate)} hint="Conversations per attempt" />
        <FigureTile
          label="Conversations per volunteer hour"
          value={rateOf(figures.conversationsPerVolunteerHour)}
          hint={figures.volunteerHours === null ? undefined : `${RATE.format(figures.volunteerHours)} hours on the phones`}
        />
        <FigureTile label="Opt-outs" value={formatCount(figures.optOuts)} />
        {summary.scope.kind === 'organization' && (
          <FigureTile label="Reached by no one else" value={formatCount(figures.exclusiveReached)} hint="What this member adds" />
        )}
      </dl>
      {projection !== null && (
        <p className={projection.onTrack ? 'progress-projection on-track' : 'progress-projection off-track'}>
          {projection.reached >= projection.target
            ? `Target reached on ${dayOf(projection.projectedReachDate ?? summary.today)}.`
            : `At the last ${projection.windowDays} days’ pace (${RATE.format(projection.recentPerDay)} new voters a day), ${formatCount(projection.projectedAtTargetDate)} by ${dayOf(projection.targetDate)}: ${projection.onTrack ? 'on track' : 'short of the target'}.`}
          {projection.requiredPerDay !== null && projection.requiredPerDay > 0 && ` ${RATE.format(projection.requiredPerDay)} a day are needed from tomorrow.`}
        </p>
      )}
    </>
  );
}

function Breakdowns({ summary, onScope }: { summary: ProgressSummary; onScope: (scope: string) => void }) {
  const ids = useId();
  const dimensions = dimensionsOf(summary.scope);
  const [dimension, setDimension] = useState<Dimension>(dimensions[0]);
  return (
    <section className="panel" aria-labelledby={`${ids}-breakdown`}>
      <h2 id={`${ids}-breakdown`}>By {DIMENSION_LABELS[dimension].toLowerCase()}</h2>
      <div className="progress-tabs" role="tablist" aria-label="Break the figures down by">
        {dimensions.map((each) => (
          <button
            key={each}
            type="button"
            role="tab"
            id={`${ids}-tab-${each}`}
            aria-selected={each === dimension}
            aria-controls={`${ids}-panel`}
            className={each === dimension ? 'progress-tab selected' : 'progress-tab'}
            onClick={() => setDimension(each)}
          >
            {DIMENSION_LABELS[each]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-tab-${dimension}`}>
        <BreakdownView key={dimension} scope={summary.scope.reference} dimension={dimension} onScope={onScope} />
      </div>
    </section>
  );
}

function BreakdownView({ scope, dimension, onScope }: { scope: string; dimension: Dimension; onScope: (scope: string) => void }) {
  const visible = usePageVisible();
  const breakdown = usePolled((signal) => fetchProgressBreakdown(scope, dimension, signal), REFRESH_MS, visible);
  const data = breakdown.data;
  if (data === null) return breakdown.error === null ? <p className="muted">Loading…</p> : <FormError error={breakdown.error} />;
  const label = `Unique voters reached by ${DIMENSION_LABELS[dimension].toLowerCase()}`;
  return (
    <>
      <FormError error={breakdown.error} />
      {data.rows.length === 0 ? (
        <p className="muted">No attempt counted here yet.</p>
      ) : (
        <Suspense fallback={<div className="chart-placeholder" style={{ height: 200 }} />}>
          {dimension === 'day' ? (
            <DailyActivityChart rows={data.rows} label="Attempts, conversations and new voters reached by day" />
          ) : (
            dimension !== 'precinct' && <BreakdownBars rows={data.rows} label={label} />
          )}
        </Suspense>
      )}
      <p className="small">
        {data.totalRows > data.rows.length &&
          `The ${formatCount(data.rows.length)} largest of ${formatCount(data.totalRows)} shown; the download has them all. `}
        <a href={progressTableCsvHref(scope, dimension)} download>
          Download this table (CSV)
        </a>
      </p>
      {data.rows.length > 0 && <BreakdownTable rows={data.rows} dimension={dimension} onScope={onScope} />}
    </>
  );
}

function BreakdownTable({ rows, dimension, onScope }: { rows: readonly BreakdownRow[]; dimension: Dimension; onScope: (scope: string) => void }) {
  const organizations = dimension === 'organization' || dimension === 'region';
  const targets = rows.some((row) => row.target !== null);
  return (
    <div className="table-scroll" role="region" aria-label={`Figures by ${DIMENSION_LABELS[dimension].toLowerCase()}`} tabIndex={0}>
      <table className="progress-table">
        <thead>
          <tr>
            <th scope="col">{DIMENSION_SINGULAR[dimension]}</th>
            <NumericHeaders
              labels={[
                dimension === 'day' ? 'New voters reached' : 'Voters reached',
                dimension !== 'day' && 'Share',
                organizations && 'Reached by no one else',
                targets && 'Of target',
                'Open to reform',
                'Conversations',
                'Attempts',
                'Contact rate',
                (organizations || dimension === 'campaign') && 'Conversations per volunteer hour',
                'Opt-outs',
              ]}
            />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                {row.drillScope === null ? (
                  row.label
                ) : (
                  <button type="button" className="link-button" onClick={() => onScope(row.drillScope!)}>
                    {row.label}
                  </button>
                )}
              </th>
              <td className="numeric">{formatCount(row.votersReached)}</td>
              {dimension !== 'day' && <td className="numeric">{percentOf(row.share)}</td>}
              {organizations && <td className="numeric">{dimension === 'organization' ? formatCount(row.exclusiveReached) : '—'}</td>}
              {targets && (
                <td className="numeric">
                  {row.target === null ? '—' : `${PERCENT.format(row.votersReached / row.target.voters)} of ${formatCount(row.target.voters)}`}
                </td>
              )}
              <td className="numeric">{formatCount(row.openToReform)}</td>
              <td className="numeric">{formatCount(row.conversations)}</td>
              <td className="numeric">{formatCount(row.attempts)}</td>
              <td className="numeric">{percentOf(row.contactRate)}</td>
              {(organizations || dimension === 'campaign') && <td className="numeric">{rateOf(row.conversationsPerVolunteerHour)}</td>}
              <td className="numeric">{formatCount(row.optOuts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ContactResultsForm({ scope }: { scope: string }) {
  const [campaign, setCampaign] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <form className="inline-form progress-results" onSubmit={(event) => event.preventDefault()}>
      <p className="hint">
        One row per survey answer: external voter id, contact type, result code, survey question and response, date canvassed, organization and campaign, for
        the figures you see here. Every download is recorded in the audit log.
      </p>
      <label className="field">
        <span>Campaign (short name, optional)</span>
        <input value={campaign} onChange={(event) => setCampaign(event.target.value)} placeholder="every campaign" />
      </label>
      <label className="field">
        <span>From</span>
        <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
      </label>
      <a className="button-link" href={contactResultsCsvHref(scope, { campaign: campaign.trim(), from, to })} download>
        Download contact results (CSV)
      </a>
    </form>
  );
}
