import type { CookieOptions, Response } from 'express';

/** The cookie that carries the session secret; scoped to the api, unreadable by scripts. */
export const SESSION_COOKIE = 'crossroads_session';
/** The header in which the console returns the session's anti-CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

export function sessionCookieOptions(secure: boolean, expires?: Date): CookieOptions {
  // Strict: the cookie never rides along on a request that another site starts.
  return { httpOnly: true, sameSite: 'strict', secure, path: '/api', ...(expires ? { expires } : {}) };
}

/** Hands a new session's secret to the browser; every route that signs someone in sets it this way. */
export function setSessionCookie(response: Response, session: { readonly token: string; readonly user: { readonly expiresAt: Date } }, secure: boolean): void {
  response.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(secure, session.user.expiresAt));
}
