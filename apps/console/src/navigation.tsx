import { type MouseEvent, useSyncExternalStore } from 'react';

/** The console's pages, addressed by the URL's hash (`#/voter-file`) so the server needs no routes for them. */
export const ROUTES = {
  signIn: { path: '/', title: 'Sign in' },
  voterFile: { path: '/voter-file', title: 'Voter file' },
} as const;

export type RouteName = keyof typeof ROUTES;

export function hrefOf(route: RouteName): string {
  return `#${ROUTES[route].path}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentPath(): string {
  const path = window.location.hash.replace(/^#/, '').split('?')[0];
  return path === '' ? '/' : path;
}

/** The path in the hash ("/" when there is none); re-renders when it changes. */
export function useHashPath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function routeOf(path: string): RouteName | null {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return (Object.keys(ROUTES) as RouteName[]).find((name) => ROUTES[name].path === normalized) ?? null;
}

/** The bar at the top of every page. */
export function SiteHeader({ current }: { current: RouteName | null }) {
  return (
    <header className="site-header">
      <a className="skip-link" href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <span className="brand">Crossroads</span>
      <nav aria-label="Console">
        <ul>
          {(['voterFile', 'signIn'] as const).map((name) => (
            <li key={name}>
              <a href={hrefOf(name)} aria-current={current === name ? 'page' : undefined}>
                {ROUTES[name].title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

// "#main" would be read as a route; move focus without touching the hash.
function focusMain(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
