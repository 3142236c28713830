import { type ReactNode, useEffect, useRef } from 'react';
import { CallingPage } from './calling-page';
import { CampaignsPage } from './campaigns-page';
import { DialerDashboardPage } from './dialer-dashboard-page';
import { FormError } from './form-fields';
import { HomePage } from './home-page';
import { InvitationPage } from './invitation-page';
import { hrefOf, replaceRoute, type Route, ROUTES, type RouteName, routeOf, useHashPath } from './navigation';
import { OrganizationDirectoryProvider } from './organization-directory';
import { OptOutsPage } from './opt-outs-page';
import { OrganizationsPage } from './organizations-page';
import { PasswordResetPage, PasswordResetRequestPage } from './password-reset-pages';
import { ProgressPage } from './progress-page';
import { alliancesOf, type Area, homeAreaOf, mayUse, membershipsIn } from './roles';
import { SegmentsPage } from './segments-page';
import { SessionProvider, type SessionState, useSession } from './session-context';
import type { Session, SessionMembership } from './session.client';
import { SignInPage } from './sign-in-page';
import { SiteHeader } from './site-header';
import { TextingPage } from './texting-page';
import { TextingStatsPage } from './texting-stats-page';
import { TurfPage } from './turf-page';
import { VoterFilePage } from './voter-file-page';

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

/** The role areas behind each page that needs one; the others (home, sign-in, links) open for everyone. */
const PAGE_AREAS: Partial<Record<RouteName, Area>> = {
  voterFile: 'voterFile',
  turf: 'turf',
  organizations: 'organizations',
  segments: 'segments',
  calling: 'calling',
  campaigns: 'campaigns',
  dialer: 'campaigns',
  textingStats: 'campaigns',
  texting: 'calling',
  textingCampaign: 'calling',
  // Leads see the page say it is the alliance admins'; the API answers only admins.
  optOuts: 'organizations',
  progress: 'progress',
};

type Shown =
  | { readonly kind: 'loading' }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'signIn'; readonly notice: string | null }
  | { readonly kind: 'notAllowed'; readonly route: RouteName }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'page'; readonly route: Route };

/**
 * Picks what to show from the hash and the session: a page the person's roles open, the sign-in
 * form in place of a page that needs a session (the hash stays, so signing in lands on it), or a
 * plain refusal. Keeps the title and keyboard focus in step.
 */
function Shell() {
  const path = useHashPath();
  const route = routeOf(path);
  const { state, memberships, alliance, signedIn } = useSession();
  const shown = whatToShow(route, state, memberships);
  const main = useRef<HTMLElement>(null);
  const shownKey = useRef<string | null>(null);
  const key = shown.kind === 'page' ? shown.route.name : shown.kind;

  useEffect(() => {
    document.title = `${titleOf(shown)} · Crossroads`;
    // After following a link, start reading and tabbing from the new page, not from the link.
    if (shownKey.current !== null && shownKey.current !== key) main.current?.focus();
    shownKey.current = key;
  });

  // Signed in, the sign-in page has nothing to do: go to the person's home.
  const signedInOnSignInPage = state.status === 'signedIn' && route?.name === 'signIn';
  useEffect(() => {
    if (signedInOnSignInPage) replaceRoute(homeAreaOf(memberships));
  }, [signedInOnSignInPage, memberships]);

  function onSignedIn(session: Session) {
    signedIn(session);
    // Asked for a page: stay on it. Came to the front door, or from a link: go to the work of their role.
    if (route === null || ROUTES[route.name].public || route.name === 'home') replaceRoute(homeAreaOf(membershipsIn(session, alliancesOf(session)[0] ?? '')));
  }

  let content: ReactNode;
  switch (shown.kind) {
    case 'loading':
      content = (
        <div className="page">
          <p className="muted" role="status">
            Loading…
          </p>
        </div>
      );
      break;
    case 'unavailable':
      content = <Unavailable message={shown.message} />;
      break;
    case 'signIn':
      content = <SignInPage notice={shown.notice} onSignedIn={onSignedIn} />;
      break;
    case 'notAllowed':
      content = <NotAllowed route={shown.route} />;
      break;
    case 'notFound':
      content = <NotFound path={path} />;
      break;
    case 'page':
      content = <Page route={shown.route} onSignedIn={onSignedIn} />;
      break;
  }

  const session = state.status === 'signedIn' ? state.session : null;
  return (
    <OrganizationDirectoryProvider sessionKey={session === null ? null : `${session.user.id}:${alliance ?? ''}`}>
      <SiteHeader current={route?.name ?? null} />
      <main id="main" ref={main} tabIndex={-1}>
        {content}
      </main>
    </OrganizationDirectoryProvider>
  );
}

function Page({ route, onSignedIn }: { route: Route; onSignedIn: (session: Session) => void }) {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'signIn':
      return null;
    case 'voterFile':
      return <VoterFilePage />;
    case 'turf':
      return <TurfPage />;
    case 'organizations':
      return <OrganizationsPage />;
    case 'segments':
      return <SegmentsPage />;
    case 'calling':
      return <CallingPage />;
    case 'campaigns':
      return <CampaignsPage />;
    case 'dialer':
      return <DialerDashboardPage key={route.token} campaignId={route.token} />;
    case 'textingStats':
      return <TextingStatsPage key={route.token} token={route.token} />;
    case 'texting':
      return <TextingPage campaignId={null} />;
    case 'textingCampaign':
      return <TextingPage key={route.token} campaignId={route.token} />;
    case 'progress':
      return <ProgressPage />;
    case 'optOuts':
      return <OptOutsPage />;
    case 'passwordReset':
      return <PasswordResetRequestPage />;
    case 'passwordResetSet':
      return <PasswordResetPage token={route.token} />;
    case 'invitation':
      return <InvitationPage key={route.token} token={route.token} onAccepted={onSignedIn} />;
  }
}

function whatToShow(route: Route | null, state: SessionState, memberships: readonly SessionMembership[]): Shown {
  if (route === null) return { kind: 'notFound' };
  // Links from emails open whatever the session; so do sign-in and the reset request.
  if (ROUTES[route.name].public) {
    if (route.name !== 'signIn') return { kind: 'page', route };
    if (state.status === 'signedOut') return { kind: 'signIn', notice: state.notice };
    // Signed in, the shell moves on to the person's home at once.
    return state.status === 'unavailable' ? { kind: 'unavailable', message: state.message } : { kind: 'loading' };
  }
  switch (state.status) {
    case 'loading':
      return { kind: 'loading' };
    case 'unavailable':
      return { kind: 'unavailable', message: state.message };
    case 'signedOut':
      return { kind: 'signIn', notice: state.notice };
    case 'signedIn': {
      const area = PAGE_AREAS[route.name];
      return area === undefined || mayUse(memberships, area) ? { kind: 'page', route } : { kind: 'notAllowed', route: route.name };
    }
  }
}

function titleOf(shown: Shown): string {
  switch (shown.kind) {
    case 'loading':
      return 'Loading';
    case 'unavailable':
      return 'Cannot reach the server';
    case 'signIn':
      return 'Sign in';
    case 'notAllowed':
      return 'Not available';
    case 'notFound':
      return 'Page not found';
    case 'page':
      return ROUTES[shown.route.name].title;
  }
}

function Unavailable({ message }: { message: string }) {
  const { retry } = useSession();
  return (
    <div className="page narrow-page">
      <h1>Cannot reach the server</h1>
      <FormError error={message} />
      <div className="actions">
        <button type="button" onClick={retry}>
          Try again
        </button>
      </div>
    </div>
  );
}

function NotAllowed({ route }: { route: RouteName }) {
  return (
    <div className="page narrow-page">
      <h1>{ROUTES[route].title}</h1>
      <p className="lede">
        Your role does not include this page. If you need it, ask a lead of your organization. Go back to the <a href={hrefOf('home')}>home page</a>.
      </p>
    </div>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <div className="page narrow-page">
      <h1>Page not found</h1>
      <p className="lede">
        There is no page at <code>#{path}</code>. Go to the <a href={hrefOf('home')}>home page</a>.
      </p>
    </div>
  );
}
