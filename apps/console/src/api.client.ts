/** The body of every error the API answers (libs/common ErrorResponseDto). */
export interface ApiErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  readonly correlationId: string;
}

const UNREACHABLE = 'Could not reach the server. Check your connection and that the Crossroads API is running, then try again.';

/** An answer the console cannot use, already put into words for the person at the screen. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** 0 when no answer arrived at all. */
    readonly status: number,
    readonly code: string | null = null,
    readonly correlationId: string | null = null,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static unreachable(status = 0): ApiError {
    return new ApiError(UNREACHABLE, status, 'unreachable');
  }
}

/**
 * What every request needs to know about the signed-in person, kept in memory only (never in
 * storage a script could read later): the anti-CSRF token of the session, the alliance to name
 * when they belong to several, and who to tell when the API says the session is gone.
 */
const sessionState: {
  csrfToken: string | null;
  alliance: string | null;
  onSessionEnded: (() => void) | null;
} = { csrfToken: null, alliance: null, onSessionEnded: null };

export function setCsrfToken(token: string | null): void {
  sessionState.csrfToken = token;
}

export function csrfToken(): string | null {
  return sessionState.csrfToken;
}

/** The alliance slug to send with requests; null when the person belongs to one alliance and the API can tell. */
export function setRequestAlliance(slug: string | null): void {
  sessionState.alliance = slug;
}

export function requestAlliance(): string | null {
  return sessionState.alliance;
}

/** Called when a request that needs a session is answered 401: the session expired or was signed out elsewhere. */
export function onSessionEnded(listener: (() => void) | null): void {
  sessionState.onSessionEnded = listener;
}

/**
 * Reports a 401 to a request that needed a session. `sentWith` is the token the request carried:
 * a late answer to a request of a session already replaced (signed out, signed in again) is not
 * about the current one. Exported for requests made outside these helpers (the upload's XMLHttpRequest).
 */
export function reportUnauthenticated(status: number, sentWith: string | null): void {
  if (status === 401 && sentWith === sessionState.csrfToken) sessionState.onSessionEnded?.();
}

/** Adds `alliance=` to a path when the person belongs to several alliances. */
export function withAlliance(path: string): string {
  if (sessionState.alliance === null) return path;
  return `${path}${path.includes('?') ? '&' : '?'}alliance=${encodeURIComponent(sessionState.alliance)}`;
}

/**
 * Turns an error answer into an ApiError: the API's own message when it sent one, otherwise
 * words for what a proxy or a missing server usually means by that status.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(body.message, status, body.code ?? null, body.correlationId ?? null, body.details);
  if (status === 401) return new ApiError('You are not signed in, or your session has ended. Sign in and try again.', status);
  if (status === 403) return new ApiError('Your account may not do this.', status);
  if (status === 404) return new ApiError(`This server does not offer that yet (HTTP 404).`, status);
  if (status === 413) return new ApiError('The file is larger than the server accepts (HTTP 413).', status);
  // A 5xx without the API's JSON comes from a proxy in front of an API that is down or restarting.
  if (status >= 500) return ApiError.unreachable(status);
  return new ApiError(`The server answered HTTP ${status} without an explanation.`, status);
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /**
   * Whether a 401 means the session ended (the default). Public routes (sign-in, invitations,
   * password resets) answer 401 for a wrong password, which is not the end of any session.
   */
  readonly needsSession?: boolean;
}

/** GETs JSON from the API; throws ApiError for every failure except an abort, which is rethrown as is. */
export function getJson<T>(path: string, signal?: AbortSignal, options: Omit<RequestOptions, 'signal'> = {}): Promise<T> {
  return requestJson<T>('GET', path, undefined, { ...options, signal });
}

/**
 * Sends a change to the API (POST, PATCH, PUT, DELETE) as JSON, with the session's anti-CSRF
 * token; answers the JSON body, or null for an answer without one (204).
 */
export function sendJson<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  return requestJson<T>(method, path, body, options);
}

async function requestJson<T>(method: string, path: string, body: unknown, { signal, needsSession = true }: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = sessionState.csrfToken;
  if (method !== 'GET' && token !== null) headers['X-CSRF-Token'] = token;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw ApiError.unreachable();
  }
  const text = await response.text().catch(() => '');
  const parsed: unknown = text === '' ? undefined : parseJson(text);
  if (!response.ok) {
    if (needsSession) reportUnauthenticated(response.status, token);
    throw apiErrorFrom(response.status, parsed);
  }
  if (parsed === undefined) {
    if (text === '' && method !== 'GET') return null as T;
    throw new ApiError('The server sent an answer the console could not read.', response.status);
  }
  return parsed as T;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** One line for the screen, with the reference to quote when asking for help. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.correlationId ? `${error.message} (reference ${error.correlationId})` : error.message;
  return `Something went wrong in the console: ${error instanceof Error ? error.message : String(error)}`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string';
}
