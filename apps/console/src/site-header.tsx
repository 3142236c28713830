import { type MouseEvent, useState } from 'react';
import { describeError } from './api.client';
import { FormError } from './form-fields';
import { hrefOf, replaceRoute, ROUTES, type RouteName } from './navigation';
import { useOrganizationDirectory } from './organization-directory';
import { alliancesOf, type Area, mayUse, ROLE_LABELS } from './roles';
import { useSession } from './session-context';
import type { SessionMembership } from './session.client';

const NAVIGATION: ReadonlyArray<readonly [RouteName, Area | null]> = [
  ['home', null],
  ['calling', 'calling'],
  ['texting', 'calling'],
  ['voterFile', 'voterFile'],
  ['turf', 'turf'],
  ['campaigns', 'campaigns'],
  ['segments', 'segments'],
  ['organizations', 'organizations'],
  ['progress', 'progress'],
];

const NAVIGATION_LABELS: Partial<Record<RouteName, string>> = { organizations: 'Organizations', progress: 'Progress' };

/** The bar at the top of every page: who is signed in, as what, the pages their roles open, and the way out. */
export function SiteHeader({ current }: { current: RouteName | null }) {
  const { state, memberships, alliance, chooseAlliance, signOut } = useSession();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const session = state.status === 'signedIn' ? state.session : null;

  async function leave() {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
      replaceRoute('signIn');
    } catch (failure) {
      setSignOutError(`Could not sign out: ${describeError(failure)}`);
    } finally {
      setSigningOut(false);
    }
  }

  const alliances = session === null ? [] : alliancesOf(session);
  return (
    <header className="site-header">
      <a className="skip-link" href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <span className="brand">Crossroads</span>
      {session !== null && (
        <>
          <nav aria-label="Console">
            <ul>
              {NAVIGATION.filter(([, area]) => area === null || mayUse(memberships, area)).map(([name]) => (
                <li key={name}>
                  <a href={hrefOf(name)} aria-current={current === name ? 'page' : undefined}>
                    {NAVIGATION_LABELS[name] ?? ROUTES[name].title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            {alliances.length > 1 && (
              <div className="account-alliance">
                <label htmlFor="alliance-choice">Alliance</label>
                <select id="alliance-choice" value={alliance ?? ''} onChange={(event) => chooseAlliance(event.target.value)}>
                  {alliances.map((slug) => (
                    <option key={slug} value={slug}>
                      {slug}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="account-who" aria-label="Signed in as">
              <span className="account-name">{session.user.displayName}</span>
              <span className="account-roles">
                {memberships.map((membership, index) => (
                  <span key={`${membership.organizationId ?? 'alliance'}-${membership.role}`}>
                    {index > 0 && ', '}
                    <MembershipLabel membership={membership} />
                  </span>
                ))}
              </span>
            </div>
            <button type="button" className="secondary" onClick={leave} disabled={signingOut}>
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </>
      )}
      <FormError error={signOutError} className="form-error header-error" />
    </header>
  );
}

/** "Anchor lead, Eastside Coalition"; an alliance-wide role names the alliance. */
export function MembershipLabel({ membership }: { membership: SessionMembership }) {
  const { bySlug } = useOrganizationDirectory();
  const where = membership.organizationSlug === null ? membership.allianceSlug : (bySlug(membership.organizationSlug)?.name ?? membership.organizationSlug);
  return (
    <>
      {ROLE_LABELS[membership.role] ?? membership.role}, {where}
    </>
  );
}

// "#main" would be read as a route; move focus without touching the hash.
function focusMain(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
