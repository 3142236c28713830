import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { FormError, SubmitRow } from './form-fields';
import { useOrganizationDirectory } from './organization-directory';
import type { Organization, OrganizationReference } from './organizations.client';
import { hasRole } from './roles';
import { useSession } from './session-context';
import { TurfByMember } from './turf-by-member';
import { type Cutter, TurfCutter } from './turf-cutter';
import { TurfList } from './turf-list';
import { type Campaign, createCampaign, listCampaigns, listTurfAssignments, listTurfs, type Turf, type TurfAssignment } from './turf.client';

interface TurfData {
  readonly turfs: readonly Turf[];
  readonly assignments: readonly TurfAssignment[];
  readonly campaigns: readonly Campaign[];
}

/** The turf, assignments and campaigns the person may see, fetched together and again after each change. */
function useTurfData(): { data: TurfData | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<TurfData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listTurfs(controller.signal), listTurfAssignments({}, controller.signal), listCampaigns(controller.signal)]).then(
      ([turfs, assignments, campaigns]) => {
        setData({ turfs: turfs.turfs, assignments: assignments.assignments, campaigns: campaigns.campaigns });
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [version]);

  return { data, error, reload: useCallback(() => setVersion((count) => count + 1), []) };
}

/**
 * Who may cut, from the session and the alliance's organizations: the alliance (an admin cuts
 * anywhere and assigns to any member) or each anchor the person leads (inside its region, to
 * its own members).
 */
function cuttersOf(
  allianceWide: boolean,
  ledAnchors: readonly Organization[],
  organizations: readonly Organization[],
): Array<Cutter & { members: OrganizationReference[] }> {
  if (allianceWide) {
    const counties = [...new Set(organizations.flatMap((organization) => organization.regionCounties))].sort((a, b) => a.localeCompare(b));
    return [
      {
        anchor: null,
        name: 'the alliance',
        counties,
        needsCounty: false,
        members: organizations.filter((organization) => organization.kind === 'member'),
      },
    ];
  }
  return ledAnchors.map((anchor) => ({
    anchor: anchor.slug,
    name: anchor.name,
    counties: [...anchor.regionCounties],
    needsCounty: true,
    members: [...anchor.members],
  }));
}

/** An anchor's (or the alliance's) turf: cut it with a live count, freeze it, split it, hand it to members, and follow who holds what. */
export function TurfPage() {
  const { memberships } = useSession();
  const directory = useOrganizationDirectory();
  const { data, error, reload } = useTurfData();
  const [notice, setNotice] = useState<string | null>(null);
  const [chosenAnchor, setChosenAnchor] = useState<string | null>(null);
  const ids = useId();

  const allianceWide = hasRole(memberships, 'alliance_admin');
  const ledAnchors = (directory.organizations ?? []).filter((organization) =>
    memberships.some((membership) => membership.role === 'anchor_lead' && membership.organizationSlug === organization.slug),
  );
  const cutters = directory.organizations === null ? [] : cuttersOf(allianceWide, ledAnchors, directory.organizations);
  const cutter = cutters.find((each) => each.anchor === chosenAnchor) ?? cutters[0];

  const changed = useCallback(
    (message: string) => {
      setNotice(message);
      reload();
    },
    [reload],
  );

  return (
    <div className="page">
      <header className="page-header">
        <h1>Turf</h1>
        <p className="lede">
          {cutter === undefined || cutter.anchor === null
            ? 'Cut turf from the voter file, split it, and assign it to member organizations for a campaign.'
            : `Cut turf in ${cutter.name}’s region (${cutter.counties.join(', ') || 'no counties yet'}), split it, and assign it to your members for a campaign.`}
        </p>
      </header>

      <FormError
        error={directory.error === null ? null : `The organizations could not be loaded, so your region is not known: ${directory.error}`}
        onRetry={directory.reload}
      />

      {cutters.length > 1 && (
        <div className="field field-inline">
          <label htmlFor={`${ids}-anchor`}>Cutting for</label>
          <select id={`${ids}-anchor`} value={cutter?.anchor ?? ''} onChange={(event) => setChosenAnchor(event.target.value)}>
            {cutters.map((each) => (
              <option key={each.anchor ?? ''} value={each.anchor ?? ''}>
                {each.name}
              </option>
            ))}
          </select>
        </div>
      )}

      <section className="panel" aria-labelledby="cut-title">
        <h2 id="cut-title">Cut turf</h2>
        {directory.organizations === null && directory.error === null && <p className="muted">Loading your region…</p>}
        {cutter !== undefined && <TurfCutter key={cutter.anchor ?? ''} cutter={cutter} onSaved={changed} />}
        {directory.organizations !== null && cutter === undefined && (
          <p className="muted">You do not lead an anchor with a region, so there is no turf for you to cut here.</p>
        )}
      </section>

      <p role="status" className="form-notice page-notice">
        {notice}
      </p>
      <FormError error={error} onRetry={reload} />

      <section className="panel" aria-labelledby="turf-title">
        <h2 id="turf-title">Your turf</h2>
        {data === null ? (
          error === null && <p className="muted">Loading turf…</p>
        ) : (
          <TurfList turfs={data.turfs} campaigns={data.campaigns} members={cutter?.members ?? []} onChanged={changed} />
        )}
      </section>

      <section className="panel" aria-labelledby="by-member-title">
        <h2 id="by-member-title">Turf by member</h2>
        {data === null ? (
          error === null && <p className="muted">Loading assignments…</p>
        ) : (
          <TurfByMember assignments={data.assignments} members={cutter?.members ?? []} campaigns={data.campaigns} onChanged={changed} />
        )}
      </section>

      {allianceWide && data !== null && (
        <section className="panel" aria-labelledby="campaigns-title">
          <h2 id="campaigns-title">Campaigns</h2>
          <CampaignForm campaigns={data.campaigns} onCreated={changed} />
        </section>
      )}
    </div>
  );
}

/** Alliance admins only: a campaign is what turf is assigned for. */
function CampaignForm({ campaigns, onCreated }: { campaigns: readonly Campaign[]; onCreated: (notice: string) => void }) {
  const ids = useId();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const campaign = await createCampaign(slug.trim() || slugOf(name), name.trim());
      setName('');
      setSlug('');
      onCreated(`Campaign “${campaign.name}” is created.`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="stack">
      {campaigns.length === 0 ? (
        <p className="muted">No campaigns yet.</p>
      ) : (
        <ul className="plain-list">
          {campaigns.map((campaign) => (
            <li key={campaign.slug}>
              {campaign.name} <span className="muted small">({campaign.slug})</span>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>Campaign name</label>
          <input id={`${ids}-name`} type="text" maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-slug`}>Short name</label>
          <input
            id={`${ids}-slug`}
            type="text"
            maxLength={63}
            placeholder={slugOf(name)}
            aria-describedby={`${ids}-slug-hint`}
            value={slug}
            onChange={(event) => setSlug(event.target.value)}
          />
          <p id={`${ids}-slug-hint`} className="hint">
            Lower-case letters, digits and dashes.
          </p>
        </div>
        <SubmitRow pending={pending} disabled={name.trim() === ''} label="Create campaign" pendingLabel="Creating…" />
      </form>
      <FormError error={error} />
    </div>
  );
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
