import { useSyncExternalStore } from 'react';

/**
 * The console's pages, addressed by the URL's hash (`#/voter-file`) so the server needs no routes
 * for them. `:token` stands for one path segment (the secret of an invitation or reset link, a
 * campaign's id).
 * Public pages open without a session; every other one asks to sign in first.
 */
export const ROUTES = {
  home: { path: '/', title: 'Home', public: false },
  signIn: { path: '/sign-in', title: 'Sign in', public: true },
  voterFile: { path: '/voter-file', title: 'Voter file', public: false },
  turf: { path: '/turf', title: 'Turf', public: false },
  organizations: { path: '/organizations', title: 'Organizations and people', public: false },
  segments: { path: '/segments', title: 'Segments', public: false },
  calling: { path: '/calling', title: 'Calling', public: false },
  campaigns: { path: '/campaigns', title: 'Campaigns', public: false },
  dialer: { path: '/campaigns/:token/dialer', title: 'Dialer', public: false },
  textingStats: { path: '/campaigns/:token/texting', title: 'Texting figures', public: false },
  texting: { path: '/texting', title: 'Texting', public: false },
  textingCampaign: { path: '/texting/:token', title: 'Texting', public: false },
  optOuts: { path: '/opt-outs', title: 'Opt-outs and unmatched texts', public: false },
  progress: { path: '/progress', title: 'Progress to target', public: false },
  passwordReset: { path: '/password-reset', title: 'Reset your password', public: true },
  passwordResetSet: { path: '/password-resets/:token', title: 'Choose a new password', public: true },
  invitation: { path: '/invitations/:token', title: 'Accept an invitation', public: true },
} as const;

export type RouteName = keyof typeof ROUTES;

export interface Route {
  readonly name: RouteName;
  /** The `:token` segment of a link route (the campaign of the dialer's and the texting pages'); '' for the others. */
  readonly token: string;
}

export function hrefOf(route: RouteName, token = ''): string {
  return `#${ROUTES[route].path.replace(':token', encodeURIComponent(token))}`;
}

/** Shows another page in place of this one, without leaving a history entry to come back to. */
export function replaceRoute(route: RouteName): void {
  const url = new URL(window.location.href);
  url.hash = hrefOf(route);
  window.history.replaceState(window.history.state, '', url);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
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

export function routeOf(path: string): Route | null {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const pattern = ROUTES[name].path;
    if (!pattern.includes(':token')) {
      if (pattern === normalized) return { name, token: '' };
      continue;
    }
    const prefix = pattern.slice(0, pattern.indexOf(':token'));
    const suffix = pattern.slice(pattern.indexOf(':token') + ':token'.length);
    const matches = normalized.startsWith(prefix) && normalized.endsWith(suffix) && normalized.length > prefix.length + suffix.length;
    const token = matches ? normalized.slice(prefix.length, normalized.length - suffix.length) : '';
    if (token !== '' && !token.includes('/')) return { name, token: safeDecode(token) };
  }
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
