import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Constant-time comparison (hashes first, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function credentialsMatch(given: BasicCredentials | undefined, expected: BasicCredentials): boolean {
  if (!given) return false;
  const usernameMatches = sameSecret(given.username, expected.username);
  const passwordMatches = sameSecret(given.password, expected.password);
  return usernameMatches && passwordMatches;
}
