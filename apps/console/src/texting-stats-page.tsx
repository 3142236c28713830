import { useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { listManagedCampaigns, type ManagedCampaign } from './campaigns.client';
import { FigureTile } from './figure-tile';
import { formatCallingHours, formatCount } from './format';
import { FormError } from './form-fields';
import { NumericHeaders } from './numeric-headers';
import { hrefOf } from './navigation';
import { CARRIER_ERRORS, STATS_REFRESH_MS, usePolled } from './texting-shared';
import { getTextingStats, type TextingFigures, type TextingStats } from './texting.client';
import { usePageVisible } from './use-page-visible';
import './dialer-dashboard.css';

const CLOCK = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** The outbound statuses in the order a text moves through them, as one bar; the in-flight ones are summed. */
const STATUS_GROUPS: ReadonlyArray<{ key: string; label: string; statuses: readonly string[] }> = [
  { key: 'delivered', label: 'Delivered', statuses: ['delivered'] },
  { key: 'sent', label: 'Sent, no receipt yet', statuses: ['sent'] },
  { key: 'inFlight', label: 'On their way', statuses: ['created', 'requesting', 'accepted', 'queued', 'sending'] },
  { key: 'held', label: 'Held for texting hours', statuses: ['held'] },
  { key: 'undelivered', label: 'Undelivered', statuses: ['undelivered'] },
  { key: 'failed', label: 'Failed', statuses: ['failed'] },
  { key: 'canceled', label: 'Canceled', statuses: ['canceled'] },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sumOf(figures: TextingFigures, statuses: readonly string[]): number {
  return statuses.reduce((sum, status) => sum + (figures.outboundByStatus[status] ?? 0), 0);
}

/** The campaign a link names, by its short name (or its id), among those the lead may see. */
function useCampaignOf(token: string): { campaign: ManagedCampaign | null; error: string | null } {
  const [campaign, setCampaign] = useState<ManagedCampaign | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    listManagedCampaigns(controller.signal).then(
      ({ campaigns }) => {
        const found = campaigns.find((each) => each.slug === token || each.id === token) ?? null;
        setCampaign(found);
        setError(found === null ? `No campaign “${token}” is among the campaigns you may see.` : null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [token]);
  return { campaign, error };
}

/**
 * A text campaign's live figures as its leads watch it: contacts handed out and first texts sent,
 * the texts by status as one bar, failures by the carrier's error code, replies, replies waiting
 * for a texter and opt-outs; then the same per organization. Read every few seconds.
 */
export function TextingStatsPage({ token }: { token: string }) {
  const ids = useId();
  const visible = usePageVisible();
  const { campaign, error: campaignError } = useCampaignOf(token);
  const campaignId = campaign?.id ?? (UUID.test(token) ? token : null);
  const stats = usePolled(campaignId === null ? null : (signal) => getTextingStats(campaignId, signal), STATS_REFRESH_MS, visible);
  const data = stats.data;

  return (
    <div className="page dialer-page texting-stats-page">
      <header className="page-header">
        <p className="small">
          <a href={hrefOf('campaigns')}>← Campaigns</a>
        </p>
        <h1>Texting: {campaign?.name ?? 'campaign'}</h1>
        <p className="lede">
          {data === null ? (
            'Loading the figures…'
          ) : (
            <>
              {data.campaignStatus === 'active' ? 'Texting open.' : `Campaign ${data.campaignStatus}.`}
              {campaign !== null && ` Texting hours ${formatCallingHours(campaign.callingWindow)} in each voter’s time zone.`} Updated{' '}
              <time dateTime={data.asOf}>{CLOCK.format(new Date(data.asOf))}</time>
              {visible ? ', every few seconds.' : '; paused while this tab is hidden.'}
            </>
          )}
        </p>
      </header>

      <FormError error={stats.error ?? (campaignId === null ? campaignError : null)} />

      {data !== null && (
        <>
          <section className="panel" aria-labelledby={`${ids}-totals`}>
            <h2 id={`${ids}-totals`}>All organizations shown</h2>
            <FigureTiles figures={data.totals} />
            <StatusBar figures={data.totals} />
          </section>

          <section className="panel" aria-labelledby={`${ids}-failures`}>
            <h2 id={`${ids}-failures`}>Failed texts by error</h2>
            <FailureTable figures={data.totals} />
          </section>

          <section className="panel" aria-labelledby={`${ids}-organizations`}>
            <h2 id={`${ids}-organizations`}>By organization</h2>
            {data.organizations.length === 0 ? <p className="muted">No organization texts in this campaign yet.</p> : <OrganizationTable stats={data} />}
          </section>
        </>
      )}
    </div>
  );
}

function FigureTiles({ figures }: { figures: TextingFigures }) {
  const delivered = figures.outboundByStatus.delivered ?? 0;
  const failed = sumOf(figures, ['failed', 'undelivered']);
  const settled = delivered + failed;
  return (
    <dl className="dialer-tiles" aria-label="Figures">
      <FigureTile label="Contacts" value={formatCount(figures.contacts.total)} hint={`${formatCount(figures.contacts.assigned)} handed to texters`} />
      <FigureTile label="First texts sent" value={formatCount(figures.contacts.initialSent)} />
      <FigureTile
        label="Delivered"
        value={formatCount(delivered)}
        hint={settled === 0 ? undefined : `${PERCENT.format(delivered / settled)} of settled texts`}
      />
      <FigureTile label="Failed" value={formatCount(failed)} hint="Failed or undelivered" />
      <FigureTile label="Replies" value={formatCount(figures.replies)} />
      <FigureTile label="Waiting for a texter" value={formatCount(figures.needsResponse)} hint="Replies not answered yet" />
      <FigureTile label="Opt-outs" value={formatCount(figures.optOuts)} />
    </dl>
  );
}

/** Every outbound text, one bar split by status, with the counts written out beside it. */
function StatusBar({ figures }: { figures: TextingFigures }) {
  const groups = STATUS_GROUPS.map((group) => ({ ...group, count: sumOf(figures, group.statuses) }));
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const summary = groups.map((group) => `${group.count} ${group.label.toLowerCase()}`).join(', ');
  return (
    <div className="volunteer-states">
      <h3 className="visually-hidden">Texts by status</h3>
      <div className="state-bar" role="img" aria-label={`Texts by status: ${summary}`}>
        {total === 0 ? (
          <span className="state-empty" />
        ) : (
          groups
            .filter((group) => group.count > 0)
            .map((group) => <span key={group.key} className={`state-segment text-state-${group.key}`} style={{ flexGrow: group.count }} />)
        )}
      </div>
      <ul className="state-legend" aria-label="Texts by status">
        {groups.map((group) => (
          <li key={group.key} data-status={group.key}>
            <span className={`state-swatch text-state-${group.key}`} aria-hidden="true" />
            {group.label} <strong>{formatCount(group.count)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FailureTable({ figures }: { figures: TextingFigures }) {
  if (figures.failuresByErrorCode.length === 0) return <p className="muted">No text has failed.</p>;
  const most = Math.max(...figures.failuresByErrorCode.map((failure) => failure.count));
  return (
    <div className="table-scroll" role="region" aria-label="Failed texts by error code" tabIndex={0}>
      <table className="failure-table">
        <thead>
          <tr>
            <th scope="col">Error code</th>
            <th scope="col">Meaning</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Texts
            </th>
            <th scope="col">
              <span className="visually-hidden">Share</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {figures.failuresByErrorCode.map((failure) => (
            <tr key={`${failure.status}:${failure.errorCode ?? 'none'}`}>
              <th scope="row">{failure.errorCode ?? '—'}</th>
              <td>{failure.errorCode === null ? 'no code given' : (CARRIER_ERRORS[failure.errorCode] ?? 'see the carrier’s error list')}</td>
              <td>{failure.status}</td>
              <td className="numeric">{formatCount(failure.count)}</td>
              <td className="failure-bar-cell" aria-hidden="true">
                <span className="failure-bar" style={{ width: `${(failure.count / most) * 100}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OrganizationTable({ stats }: { stats: TextingStats }) {
  return (
    <div className="table-scroll" role="region" aria-label="Texting by organization" tabIndex={0}>
      <table className="pool-table">
        <thead>
          <tr>
            <th scope="col">Organization</th>
            <NumericHeaders labels={['Contacts', 'Handed out', 'First texts', 'Delivered', 'Failed', 'Replies', 'Waiting', 'Opt-outs']} />
          </tr>
        </thead>
        <tbody>
          {stats.organizations.map((organization) => (
            <OrganizationRow key={organization.organizationId} name={organization.organizationName} figures={organization} />
          ))}
        </tbody>
        {stats.organizations.length > 1 && (
          <tfoot>
            <OrganizationRow name="All shown" figures={stats.totals} />
          </tfoot>
        )}
      </table>
    </div>
  );
}

function OrganizationRow({ name, figures }: { name: string; figures: TextingFigures }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="numeric">{formatCount(figures.contacts.total)}</td>
      <td className="numeric">{formatCount(figures.contacts.assigned)}</td>
      <td className="numeric">{formatCount(figures.contacts.initialSent)}</td>
      <td className="numeric">{formatCount(figures.outboundByStatus.delivered ?? 0)}</td>
      <td className="numeric">{formatCount(sumOf(figures, ['failed', 'undelivered']))}</td>
      <td className="numeric">{formatCount(figures.replies)}</td>
      <td className="numeric">{formatCount(figures.needsResponse)}</td>
      <td className="numeric">{formatCount(figures.optOuts)}</td>
    </tr>
  );
}
