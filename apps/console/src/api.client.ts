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
 * Turns an error answer into an ApiError: the API's own message when it sent one, otherwise
 * words for what a proxy or a missing server usually means by that status.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(body.message, status, body.code, body.correlationId ?? null, body.details);
  if (status === 401) return new ApiError('You are not signed in, or your session has ended. Sign in and try again.', status);
  if (status === 403) return new ApiError('Your account may not do this.', status);
  if (status === 404) return new ApiError(`This server does not offer that yet (HTTP 404).`, status);
  if (status === 413) return new ApiError('The file is larger than the server accepts (HTTP 413).', status);
  // A 5xx without the API's JSON comes from a proxy in front of an API that is down or restarting.
  if (status >= 500) return ApiError.unreachable(status);
  return new ApiError(`The server answered HTTP ${status} without an explanation.`, status);
}

/** GETs JSON from the API; throws ApiError for every failure except an abort, which is rethrown as is. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw ApiError.unreachable();
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiErrorFrom(response.status, body);
  if (body === undefined) throw new ApiError('The server sent an answer the console could not read.', response.status);
  return body as T;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** One line for the screen, with the reference to quote when asking for help. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.correlationId ? `${error.message} (reference ${error.correlationId})` : error.message;
  return `Something went wrong in the console: ${error instanceof Error ? error.message : String(error)}`;
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string';
}
