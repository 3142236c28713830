import { useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import type { ManagedCampaign } from './campaigns.client';
import {
  type AbandonmentFigure,
  type ComplianceEvidence,
  complianceCsvHref,
  type DialerFigures,
  type DialerLiveStatus,
  getCampaign,
  getComplianceEvidence,
  getDialerLiveStatus,
} from './dialer.client';
import { FigureTile } from './figure-tile';
import { formatCallingHours, formatCount, formatDateTime } from './format';
import { FormError } from './form-fields';
import { NumericHeaders } from './numeric-headers';
import { hrefOf } from './navigation';
import { usePageVisible } from './use-page-visible';
import './dialer-dashboard.css';

/** The live picture moves with every call; the evidence covers 30 days and barely moves in a minute, so it is read less often. */
const LIVE_REFRESH_MS = 2_000;
const EVIDENCE_REFRESH_MS = 30_000;

const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

const MODE_LABELS: Record<string, string> = { preview: 'Preview (click to call)', power: 'Power', predictive: 'Predictive' };

type VolunteerState = keyof Omit<DialerFigures['volunteers'], 'total'>;
const VOLUNTEER_STATES: ReadonlyArray<{ key: VolunteerState; label: string }> = [
  { key: 'ready', label: 'Ready' },
  { key: 'talking', label: 'Talking' },
  { key: 'wrapUp', label: 'Wrap-up' },
  { key: 'paused', label: 'Paused' },
  { key: 'signedIn', label: 'Signed in, not ready' },
];

function formatPercent(rate: number | null): string {
  return rate === null ? '—' : PERCENT.format(rate);
}

/**
 * Reads `load` now and again `intervalMs` after each answer, while `active`; stops (and aborts a
 * request under way) when the page is hidden or left. One request at a time: a slow answer delays
 * the next instead of piling requests up.
 */
function usePolled<T>(load: (campaignId: string, signal: AbortSignal) => Promise<T>, campaignId: string, intervalMs: number, active: boolean) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      controller = new AbortController();
      try {
        setData(await load(campaignId, controller.signal));
        setError(null);
      } catch (failure) {
        if (!isAbortError(failure)) setError(describeError(failure));
      }
      if (!stopped) timer = setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      controller?.abort();
      clearTimeout(timer);
    };
  }, [load, campaignId, intervalMs, active]);
  return { data, error };
}

/**
 * A power or predictive campaign's dialer as its leads watch it: the mode, the volunteers by state
 * and the lines in flight now, the last hour's answer rates and conversations per volunteer-hour,
 * abandonment against the law's 3% over the last hour and the rolling 30 days, and the compliance
 * evidence with its three must-be-zero checks and a CSV to hand an auditor. Every figure drawn is
 * also written out.
 */
export function DialerDashboardPage({ campaignId }: { campaignId: string }) {
  const ids = useId();
  const visible = usePageVisible();
  const campaign = usePolled(getCampaign, campaignId, 60_000, visible);
  const live = usePolled(getDialerLiveStatus, campaignId, LIVE_REFRESH_MS, visible);
  const evidence = usePolled(getComplianceEvidence, campaignId, EVIDENCE_REFRESH_MS, visible);
  const status = live.data;
  const name = campaign.data?.name ?? 'Campaign';

  return (
    <div className="page dialer-page">
      <header className="page-header">
        <p className="small">
          <a href={hrefOf('campaigns')}>← Campaigns</a>
        </p>
        <h1>Dialer: {name}</h1>
        <p className="lede">
          {status === null ? (
            'Loading the dialer…'
          ) : (
            <>
              <span className="mode-badge">{MODE_LABELS[status.dialMode] ?? status.dialMode}</span> {campaignLine(campaign.data, status)} Updated{' '}
              <time dateTime={status.asOf}>{CLOCK.format(new Date(status.asOf))}</time>
              {visible ? ', every 2 seconds.' : '; paused while this tab is hidden.'}
            </>
          )}
        </p>
      </header>

      <FormError error={live.error ?? campaign.error} />

      {status !== null && (
        <>
          <section className="panel" aria-labelledby={`${ids}-now`}>
            <h2 id={`${ids}-now`}>Now</h2>
            <dl className="dialer-tiles">
              <FigureTile label="Volunteers calling" value={formatCount(status.totals.volunteers.total)} />
              <FigureTile label="Lines in flight" value={formatCount(status.totals.linesInFlight)} hint="Dialed, no volunteer yet" />
              <FigureTile
                label="Answer rate, last hour"
                value={formatPercent(status.totals.lastHour.answerRate)}
                hint={`${formatCount(status.totals.lastHour.answered)} of ${formatCount(status.totals.lastHour.settledDials)} finished dials`}
              />
              <FigureTile
                label="Live people, last hour"
                value={formatPercent(status.totals.lastHour.humanAnswerRate)}
                hint={`${formatCount(status.totals.lastHour.liveAnswers)} of ${formatCount(status.totals.lastHour.settledDials)} finished dials`}
              />
              <FigureTile
                label="Conversations per volunteer-hour"
                value={
                  status.totals.lastHour.conversationsPerVolunteerHour === null ? '—' : DECIMAL.format(status.totals.lastHour.conversationsPerVolunteerHour)
                }
                hint={`${formatCount(status.totals.lastHour.conversations)} in ${DECIMAL.format(status.totals.lastHour.volunteerHours)} volunteer-hours`}
              />
            </dl>
            <VolunteerStates volunteers={status.totals.volunteers} />
          </section>

          <section className="panel" aria-labelledby={`${ids}-abandonment`}>
            <h2 id={`${ids}-abandonment`}>Abandoned calls</h2>
            <p className="muted small">
              Live people no volunteer took within 2 seconds of their greeting, out of all live answers. The law allows at most{' '}
              {PERCENT.format(status.abandonment.cap)} over any 30 days; the whole campaign counts, every organization’s calls.
            </p>
            <div className="gauge-pair">
              <AbandonmentGauge label="Last hour" figure={status.abandonment.lastHour} cap={status.abandonment.cap} />
              <AbandonmentGauge label="Rolling 30 days" figure={status.abandonment.thirtyDays} cap={status.abandonment.cap} />
            </div>
          </section>

          <section className="panel" aria-labelledby={`${ids}-pools`}>
            <h2 id={`${ids}-pools`}>By organization</h2>
            {status.pools.length === 0 ? <p className="muted">Nobody has called in this campaign yet.</p> : <PoolTable status={status} />}
          </section>
        </>
      )}

      <section className="panel" aria-labelledby={`${ids}-evidence`}>
        <div className="section-bar">
          <h2 id={`${ids}-evidence`}>Compliance evidence</h2>
          <a className="button-link secondary" href={complianceCsvHref(campaignId)} download>
            Download CSV
          </a>
        </div>
        <FormError error={evidence.error} />
        {evidence.data === null ? evidence.error === null && <p className="muted">Loading the evidence…</p> : <EvidenceTable evidence={evidence.data} />}
      </section>
    </div>
  );
}

function campaignLine(campaign: ManagedCampaign | null, status: DialerLiveStatus): string {
  const state = status.campaignStatus === 'active' ? 'Calling open.' : `Campaign ${status.campaignStatus}.`;
  return campaign === null ? state : `${state} Calling hours ${formatCallingHours(campaign.callingWindow)} in each voter’s time zone.`;
}

/** One bar split by state, with the counts written out beside it. */
function VolunteerStates({ volunteers }: { volunteers: DialerFigures['volunteers'] }) {
  const summary = VOLUNTEER_STATES.map((state) => `${volunteers[state.key]} ${state.label.toLowerCase()}`).join(', ');
  return (
    <div className="volunteer-states">
      <div className="state-bar" role="img" aria-label={`Volunteers by state: ${summary}`}>
        {volunteers.total === 0 ? (
          <span className="state-empty" />
        ) : (
          VOLUNTEER_STATES.filter((state) => volunteers[state.key] > 0).map((state) => (
            <span key={state.key} className={`state-segment state-${state.key}`} style={{ flexGrow: volunteers[state.key] }} />
          ))
        )}
      </div>
      <ul className="state-legend" aria-label="Volunteers by state">
        {VOLUNTEER_STATES.map((state) => (
          <li key={state.key}>
            <span className={`state-swatch state-${state.key}`} aria-hidden="true" />
            {state.label} <strong>{formatCount(volunteers[state.key])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A horizontal gauge of the rate, with the cap drawn as a line; its scale stretches past 6% only when the rate does. */
function AbandonmentGauge({ label, figure, cap }: { label: string; figure: AbandonmentFigure; cap: number }) {
  const rate = figure.rate ?? 0;
  const scale = Math.max(2 * cap, Math.ceil((rate * 1.15) / 0.01) * 0.01);
  const over = figure.rate !== null && figure.rate > cap;
  const words =
    figure.rate === null
      ? 'no live answers yet'
      : `${formatPercent(figure.rate)}: ${formatCount(figure.abandoned)} of ${formatCount(figure.liveAnswers)} live answers, ${over ? 'over' : 'within'} the ${PERCENT.format(cap)} cap`;
  const capX = (cap / scale) * 100;
  return (
    <figure className={`gauge ${over ? 'gauge-over' : 'gauge-ok'}`}>
      <figcaption>
        <span className="gauge-label">{label}</span>
        <span className="gauge-value">{formatPercent(figure.rate)}</span>
      </figcaption>
      <svg className="gauge-svg" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" aria-label={`Abandoned calls, ${label.toLowerCase()}: ${words}`}>
        <rect x="0" y="3" width="100" height="8" rx="2" className="gauge-track" />
        <rect x="0" y="3" width={Math.min(100, (rate / scale) * 100)} height="8" rx="2" className="gauge-fill" />
        <line x1={capX} x2={capX} y1="0" y2="14" className="gauge-cap" vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="gauge-scale" aria-hidden="true">
        <span>0%</span>
        <span className="gauge-cap-label" style={{ left: `${capX}%` }}>
          {PERCENT.format(cap)} cap
        </span>
        <span>{PERCENT.format(scale)}</span>
      </div>
      <p className="gauge-words">{words[0].toUpperCase() + words.slice(1)}</p>
    </figure>
  );
}

function PoolTable({ status }: { status: DialerLiveStatus }) {
  return (
    <div className="table-scroll" role="region" aria-label="Volunteers and calls by organization" tabIndex={0}>
      <table className="pool-table">
        <thead>
          <tr>
            <th scope="col">Organization</th>
            <NumericHeaders
              labels={[
                ...VOLUNTEER_STATES.map((state) => state.label),
                'Lines in flight',
                'Dials, last hour',
                'Answer rate',
                'Conversations',
                'Per volunteer-hour',
              ]}
            />
          </tr>
        </thead>
        <tbody>
          {status.pools.map((pool) => (
            <PoolRow key={pool.organizationId} name={pool.organizationName} figures={pool} />
          ))}
        </tbody>
        {status.pools.length > 1 && (
          <tfoot>
            <PoolRow name="All shown" figures={status.totals} />
          </tfoot>
        )}
      </table>
    </div>
  );
}

function PoolRow({ name, figures }: { name: string; figures: DialerFigures }) {
  const perHour = figures.lastHour.conversationsPerVolunteerHour;
  return (
    <tr>
      <th scope="row">{name}</th>
      {VOLUNTEER_STATES.map((state) => (
        <td key={state.key} className="numeric">
          {formatCount(figures.volunteers[state.key])}
        </td>
      ))}
      <td className="numeric">{formatCount(figures.linesInFlight)}</td>
      <td className="numeric">{formatCount(figures.lastHour.dials)}</td>
      <td className="numeric">{formatPercent(figures.lastHour.answerRate)}</td>
      <td className="numeric">{formatCount(figures.lastHour.conversations)}</td>
      <td className="numeric">{perHour === null ? '—' : DECIMAL.format(perHour)}</td>
    </tr>
  );
}

function EvidenceTable({ evidence }: { evidence: ComplianceEvidence }) {
  const { abandonment, checks } = evidence;
  const rows: Array<{ key: string; label: string; value: string; ok: boolean; rule: string }> = [
    {
      key: 'abandonment',
      label: 'Abandoned calls',
      value: `${formatPercent(abandonment.rate)} (${formatCount(abandonment.abandoned)} of ${formatCount(abandonment.liveAnswers)} live answers)`,
      ok: abandonment.ok,
      rule: `At most ${PERCENT.format(abandonment.cap)}`,
    },
    {
      key: 'wrong-window',
      label: 'Dials outside 8:00–21:00 in the voter’s time zone',
      value: formatCount(checks.wrongWindowDials.count),
      ok: checks.wrongWindowDials.ok,
      rule: 'Must be 0',
    },
    {
      key: 'short-rings',
      label: 'Unanswered calls hung up before 15 seconds of ringing',
      value: formatCount(checks.shortRings.count),
      ok: checks.shortRings.ok,
      rule: 'Must be 0',
    },
    {
      key: 'automatic-mobile',
      label: 'Automatic dials to mobile or unknown numbers without consent',
      value: formatCount(checks.automaticMobileDials.count),
      ok: checks.automaticMobileDials.ok,
      rule: 'Must be 0',
    },
  ];
  return (
    <div className="table-scroll" role="region" aria-label="Compliance checks" tabIndex={0}>
      <table className="evidence-table">
        <caption className="table-caption">
          Rolling 30 days, {formatDateTime(evidence.from)} to {formatDateTime(evidence.to)}: {formatCount(evidence.dials)} dials
          {evidence.unknownZoneDials > 0 &&
            `, of which ${formatCount(evidence.unknownZoneDials)} to voters of unknown time zone (placed only while 8:00–21:00 held in every US zone)`}
          .
        </caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="numeric">
              Count
            </th>
            <th scope="col">Rule</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-check={row.key}>
              <th scope="row">{row.label}</th>
              <td className="numeric">{row.value}</td>
              <td>{row.rule}</td>
              <td>
                <span className={`check-badge ${row.ok ? 'check-ok' : 'check-failed'}`}>{row.ok ? '✓ Met' : '✗ Not met'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
