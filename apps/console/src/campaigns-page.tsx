import { useCallback, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { CampaignScriptEditor } from './campaign-script-editor';
import { CampaignSettingsForm, type RunnerChoice } from './campaign-settings-form';
import { CAMPAIGN_STATUS_BADGES, CAMPAIGN_STATUS_LABELS, CampaignStatusControls } from './campaign-status-controls';
import { listManagedCampaigns, type ManagedCampaign } from './campaigns.client';
import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { hrefOf } from './navigation';
import { type OrganizationDirectory, useOrganizationDirectory } from './organization-directory';
import { hasRole } from './roles';
import { useSession } from './session-context';
import type { SessionMembership } from './session.client';

/** The campaigns the person may see, with single ones put back in as they change. */
function useManagedCampaigns(): {
  campaigns: readonly ManagedCampaign[] | null;
  error: string | null;
  reload: () => void;
  upsert: (campaign: ManagedCampaign) => void;
} {
  const [campaigns, setCampaigns] = useState<readonly ManagedCampaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listManagedCampaigns(controller.signal).then(
      (answer) => {
        setCampaigns(answer.campaigns);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const upsert = useCallback((campaign: ManagedCampaign) => {
    setCampaigns((current) => {
      if (current === null) return [campaign];
      return current.some((each) => each.id === campaign.id) ? current.map((each) => (each.id === campaign.id ? campaign : each)) : [campaign, ...current];
    });
  }, []);

  return { campaigns, error, reload: useCallback(() => setAttempt((count) => count + 1), []), upsert };
}

/**
 * The organizations whose campaigns the person runs: those they lead, and an anchor lead's
 * members (the console's copy of the API's rule, used only to offer sensible choices).
 */
function ledOrganizations(memberships: readonly SessionMembership[], directory: OrganizationDirectory): RunnerChoice[] {
  const led = new Map<string, string>();
  for (const membership of memberships) {
    if ((membership.role !== 'org_lead' && membership.role !== 'anchor_lead') || membership.organizationId === null) continue;
    const organization = directory.bySlug(membership.organizationSlug);
    led.set(membership.organizationId, organization?.name ?? membership.organizationSlug ?? membership.organizationId);
    if (membership.role === 'anchor_lead') for (const member of organization?.members ?? []) led.set(member.id, member.name);
  }
  return [...led].map(([id, name]) => ({ id, name }));
}

/**
 * Phone banks as their leads set them up: the campaigns, a new one, and for the one chosen its
 * status and call list, its settings, and its script with a live preview on a sample voter.
 */
export function CampaignsPage() {
  const ids = useId();
  const { memberships } = useSession();
  const directory = useOrganizationDirectory();
  const { campaigns, error, reload, upsert } = useManagedCampaigns();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const allianceWide = hasRole(memberships, 'alliance_admin');
  const led = ledOrganizations(memberships, directory);
  const ledIds = new Set(led.map((organization) => organization.id));
  const manages = (campaign: ManagedCampaign) => allianceWide || (campaign.organizationId !== null && ledIds.has(campaign.organizationId));
  const runners: RunnerChoice[] = allianceWide
    ? [
        { id: null, name: 'The alliance (a program its members call in)' },
        ...(directory.organizations ?? []).map((organization) => ({ id: organization.id, name: organization.name })),
      ]
    : led;
  const runnerName = (campaign: ManagedCampaign) =>
    campaign.organizationId === null
      ? 'The alliance'
      : ((directory.organizations ?? []).find((organization) => organization.id === campaign.organizationId)?.name ?? 'Another organization');
  const selected = campaigns?.find((campaign) => campaign.id === chosenId) ?? campaigns?.find(manages) ?? null;

  const changed = useCallback(
    (campaign: ManagedCampaign, message: string) => {
      upsert(campaign);
      setNotice(message);
    },
    [upsert],
  );

  return (
    <div className="page campaigns-page">
      <header className="page-header">
        <h1>Campaigns</h1>
        <p className="lede">
          Set up your phone banks and text campaigns: who calls or texts from which numbers and when, the script or the first text, and when they open.
        </p>
      </header>

      <p role="status" className="form-notice page-notice">
        {notice}
      </p>

      <section className="panel" aria-labelledby={`${ids}-list`}>
        <div className="section-bar">
          <h2 id={`${ids}-list`}>Your campaigns</h2>
          {runners.length > 0 && (
            <button type="button" className="secondary" aria-expanded={creating} aria-controls={`${ids}-new`} onClick={() => setCreating((shown) => !shown)}>
              {creating ? 'Close the new campaign form' : 'New campaign…'}
            </button>
          )}
        </div>
        {creating && (
          <div id={`${ids}-new`} className="sub-panel new-campaign">
            <h3>New campaign</h3>
            <CampaignSettingsForm
              campaign={null}
              runners={runners}
              onSaved={(campaign, message) => {
                changed(campaign, message);
                setChosenId(campaign.id);
                setCreating(false);
              }}
            />
          </div>
        )}
        <FormError error={error} onRetry={reload} />
        {campaigns === null ? (
          error === null && <p className="muted">Loading campaigns…</p>
        ) : campaigns.length === 0 ? (
          <p className="muted">No campaigns yet. Start one with “New campaign…”.</p>
        ) : (
          <div className="table-scroll">
            <table className="campaign-table">
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Status</th>
                  <th scope="col">Hours</th>
                  <th scope="col">Run by</th>
                </tr>
              </thead>
              <tbody>
                {campaigns.map((campaign) => {
                  const isSelected = selected?.id === campaign.id;
                  return (
                    <tr key={campaign.id} className={isSelected ? 'selected-row' : undefined}>
                      <th scope="row">
                        <button type="button" className="link-button model-choice" aria-pressed={isSelected} onClick={() => setChosenId(campaign.id)}>
                          {campaign.name}
                        </button>
                        <span className="muted small"> ({campaign.slug})</span>
                        {campaign.channel === 'sms' && <span className="tag">Texts</span>}
                      </th>
                      <td>
                        <span className={`status-badge ${CAMPAIGN_STATUS_BADGES[campaign.status]}`}>{CAMPAIGN_STATUS_LABELS[campaign.status]}</span>
                      </td>
                      <td className="nowrap">{formatCallingHours(campaign.callingWindow)}</td>
                      <td>{runnerName(campaign)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {selected !== null && (
        <section className="panel campaign-detail" aria-labelledby={`${ids}-detail`}>
          <h2 id={`${ids}-detail`}>{selected.name}</h2>
          {manages(selected) && (selected.dialMode === 'power' || selected.dialMode === 'predictive') && (
            <p>
              <a href={hrefOf('dialer', selected.id)}>Dialer: live view and compliance evidence</a>
            </p>
          )}
          {manages(selected) && selected.channel === 'sms' && (
            <ul className="campaign-links">
              <li>
                <a href={hrefOf('textingStats', selected.slug)}>Texting: live figures</a>
              </li>
              <li>
                <a href={hrefOf('textingCampaign', selected.id)}>Texting screen</a> <span className="muted small">(send this link to your texters)</span>
              </li>
              {allianceWide && (
                <li>
                  <a href={hrefOf('optOuts')}>Opt-outs and unmatched texts</a>
                </li>
              )}
            </ul>
          )}
          {manages(selected) ? (
            <>
              <section className="detail-part" aria-labelledby={`${ids}-status`}>
                <h3 id={`${ids}-status`}>Status and call list</h3>
                <CampaignStatusControls campaign={selected} onChanged={changed} />
              </section>
              <section className="detail-part" aria-labelledby={`${ids}-settings`}>
                <h3 id={`${ids}-settings`}>Settings</h3>
                <CampaignSettingsForm key={`${selected.id}:${selected.updatedAt}`} campaign={selected} onSaved={changed} />
              </section>
              <section className="detail-part" aria-labelledby={`${ids}-script`}>
                <h3 id={`${ids}-script`}>{selected.channel === 'sms' ? 'Survey questions (texters tag replies with them)' : 'Script and survey questions'}</h3>
                <CampaignScriptEditor key={selected.id} campaign={selected} onSaved={(campaign) => upsert(campaign)} />
              </section>
            </>
          ) : (
            <p className="muted">
              {selected.organizationId === null
                ? 'An alliance-wide program: its settings and script are the alliance admins’ to change. Your organization calls in it with the turf it holds.'
                : 'This campaign belongs to another organization; its leads set it up.'}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
