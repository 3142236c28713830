import { ApiError, apiErrorFrom, csrfToken, getJson, parseJson, reportUnauthenticated, requestAlliance, withAlliance } from './api.client';

export const VOTER_FILE_FORMATS = ['ncvoter', 'ncvhis', 'ohio', 'california', 'generic'] as const;
export type VoterFileFormat = (typeof VOTER_FILE_FORMATS)[number];

export type VoterImportStatus = 'queued' | 'running' | 'succeeded' | 'rejected' | 'failed';
export type VoterImportPhase = 'queued' | 'reading' | 'merging' | 'done';

export interface VoterImport {
  readonly id: string;
  readonly fileName: string;
  readonly fileBytes: number;
  readonly format: string | null;
  readonly status: VoterImportStatus;
  readonly phase: VoterImportPhase;
  /** 0 to 100. */
  readonly percent: number;
  readonly rowsRead: number;
  readonly rowsPerSecond: number | null;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deactivated: number;
  /** Lines refused (not the status of the same name). */
  readonly rejected: number;
  readonly droppedPhones: number;
  readonly historyRows: number;
  readonly unmatched: number;
  readonly errorCount: number;
  readonly errorMessage: string | null;
  /** Sent by the API though not in the agreed shape; shown when present. */
  readonly fullRefresh?: boolean;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export type VoterImportErrorKind = 'rejected' | 'dropped' | 'duplicate';

export interface VoterImportError {
  readonly lineNumber: number;
  readonly column: string | null;
  readonly reason: string;
  readonly kind: VoterImportErrorKind;
}

export interface VoterImportErrorPage {
  readonly errors: readonly VoterImportError[];
  readonly nextCursor: string | null;
}

export const PARTIES = ['democratic', 'republican', 'unaffiliated', 'libertarian', 'green', 'other', 'unknown'] as const;
export const PROPENSITIES = ['new', 'occasional', 'frequent'] as const;
export const RACE_ETHNICITIES = ['hispanic', 'white', 'black', 'asian', 'native_american', 'pacific_islander', 'multiracial', 'other', 'unknown'] as const;

export interface VoterPhone {
  readonly e164: string;
  readonly lineType: 'mobile' | 'landline' | 'voip' | 'unknown' | null;
}

/** The nullable fields are the ones a voter file may leave empty (the voter table allows null there). */
export interface Voter {
  readonly id: string;
  readonly sourceVoterId: string;
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  /** Sent by the API though not in the agreed shape; shown when present. */
  readonly nameSuffix?: string | null;
  readonly residentialAddress: string | null;
  readonly city: string | null;
  readonly county: string | null;
  readonly precinct: string | null;
  readonly zip5: string | null;
  readonly age: number | null;
  readonly party: (typeof PARTIES)[number];
  readonly partyCode: string | null;
  readonly raceEthnicity: (typeof RACE_ETHNICITIES)[number];
  readonly propensity: (typeof PROPENSITIES)[number];
  readonly phones: readonly VoterPhone[];
  readonly active: boolean;
}

export interface VoterPage {
  readonly voters: readonly Voter[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/** Filters as typed: an empty string means "any"; place filters may list several values separated by commas. */
export interface VoterFilters {
  county: string;
  precinct: string;
  zip: string;
  city: string;
  party: string;
  ageMin: string;
  ageMax: string;
  propensity: string;
  raceEthnicity: string;
  /** '', 'true' or 'false'. */
  hasPhone: string;
  /** A values-segment key: voters in that segment under the alliance's active model. */
  segment: string;
  /** '' for active voters (the API's default) or 'false' for those a full refresh marked inactive. */
  active: string;
}

export const NO_VOTER_FILTERS: VoterFilters = {
  county: '',
  precinct: '',
  zip: '',
  city: '',
  party: '',
  ageMin: '',
  ageMax: '',
  propensity: '',
  raceEthnicity: '',
  hasPhone: '',
  segment: '',
  active: '',
};

const LIST_FILTERS: ReadonlySet<keyof VoterFilters> = new Set(['county', 'precinct', 'zip', 'city']);
export const VOTER_PAGE_SIZE = 50;
export const IMPORT_ERROR_PAGE_SIZE = 100;

/** The query string for a set of filters (no leading `?`), tidied so that equal filters give equal strings. */
export function voterFilterQuery(filters: VoterFilters): string {
  const query = new URLSearchParams();
  for (const [name, raw] of Object.entries(filters) as Array<[keyof VoterFilters, string]>) {
    const value = LIST_FILTERS.has(name)
      ? raw
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
          .join(',')
      : raw.trim();
    if (value !== '') query.set(name, value);
  }
  return query.toString();
}

export function listVoterImports(signal?: AbortSignal): Promise<{ imports: VoterImport[] }> {
  return getJson(withAlliance('/api/voter-imports'), signal);
}

export function getVoterImport(id: string, signal?: AbortSignal): Promise<VoterImport> {
  return getJson(`/api/voter-imports/${encodeURIComponent(id)}`, signal);
}

export function listVoterImportErrors(id: string, after: string | null, signal?: AbortSignal): Promise<VoterImportErrorPage> {
  const query = new URLSearchParams({ limit: String(IMPORT_ERROR_PAGE_SIZE) });
  if (after !== null) query.set('after', after);
  return getJson(`/api/voter-imports/${encodeURIComponent(id)}/errors?${query}`, signal);
}

/** `filterQuery` comes from voterFilterQuery. */
export function searchVoters(filterQuery: string, after: string | null, signal?: AbortSignal): Promise<VoterPage> {
  const query = new URLSearchParams(filterQuery);
  query.set('limit', String(VOTER_PAGE_SIZE));
  if (after !== null) query.set('after', after);
  return getJson(withAlliance(`/api/voters?${query}`), signal);
}

export function voterExportUrl(filterQuery: string): string {
  return withAlliance(filterQuery === '' ? '/api/voters/export' : `/api/voters/export?${filterQuery}`);
}

export interface VoterFileUpload {
  readonly file: File;
  /** Left out to have the server read the layout off the header. */
  readonly format?: VoterFileFormat;
  /** The mapping JSON as text, for the generic format. */
  readonly mapping?: string;
  /** Voters missing from this file become inactive. */
  readonly fullRefresh: boolean;
  /** A share between 0 and 1. */
  readonly maxErrorRate: number;
  /** An alliance slug; the server uses the person's only alliance when left out. */
  readonly alliance?: string;
}

/**
 * Sends a voter file as multipart/form-data. XMLHttpRequest rather than fetch because only it
 * reports upload progress. The options go before the file so that a server streaming the body
 * knows them before the file's bytes arrive.
 */
export function uploadVoterFile(
  upload: VoterFileUpload,
  onProgress: (sentBytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
): Promise<VoterImport> {
  const form = new FormData();
  if (upload.format !== undefined) form.append('format', upload.format);
  if (upload.mapping !== undefined) form.append('mapping', upload.mapping);
  form.append('full', String(upload.fullRefresh));
  form.append('maxErrorRate', String(upload.maxErrorRate));
  const alliance = upload.alliance ?? requestAlliance();
  if (alliance !== null) form.append('alliance', alliance);
  form.append('file', upload.file, upload.file.name);

  return new Promise<VoterImport>((resolve, reject) => {
    const request = new XMLHttpRequest();
    const abort = () => request.abort();
    const settle = () => signal?.removeEventListener('abort', abort);
    request.open('POST', '/api/voter-imports');
    request.setRequestHeader('Accept', 'application/json');
    const token = csrfToken();
    if (token !== null) request.setRequestHeader('X-CSRF-Token', token);
    request.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : upload.file.size));
    request.addEventListener('load', () => {
      settle();
      const body = parseJson(request.responseText);
      if (request.status >= 200 && request.status < 300 && body !== undefined) resolve(body as VoterImport);
      else if (request.status >= 200 && request.status < 300)
        reject(new ApiError('The server accepted the file but sent an answer the console could not read.', request.status));
      else {
        reportUnauthenticated(request.status, token);
        reject(apiErrorFrom(request.status, body));
      }
    });
    request.addEventListener('error', () => {
      settle();
      reject(ApiError.unreachable());
    });
    request.addEventListener('abort', () => {
      settle();
      reject(new DOMException('The upload was cancelled', 'AbortError'));
    });
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled', 'AbortError'));
      return;
    }
    signal?.addEventListener('abort', abort);
    request.send(form);
  });
}
