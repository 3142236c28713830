import { Injectable } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';
import type { DataAccess } from '@app/database';
import type { VoterPhone } from '../formats/normalized-voter';
import type { StandardParty } from '../normalization/party.normalizer';
import type { Propensity } from '../normalization/propensity.rule';
import type { StandardRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { ageFromBirthYear, type VoterFilter } from './voter-filter';
import { type VoterSearchRow, VoterSearchRepository } from './voter-search.repository';

export interface VoterSummary {
  readonly id: string;
  readonly sourceVoterId: string;
  readonly firstName: string | null;
  readonly middleName: string | null;
  readonly lastName: string | null;
  readonly nameSuffix: string | null;
  readonly residentialAddress: string | null;
  readonly city: string | null;
  readonly county: string | null;
  readonly precinct: string | null;
  readonly zip5: string | null;
  readonly age: number | null;
  readonly party: StandardParty;
  readonly partyCode: string | null;
  readonly raceEthnicity: StandardRaceEthnicity;
  readonly propensity: Propensity;
  readonly phones: VoterPhone[];
  readonly active: boolean;
}

export interface VoterSearchPage {
  /** A `nextCursor` from the previous page; absent for the first page. */
  readonly after?: string;
  readonly limit?: number;
}

export interface VoterSearchResult {
  readonly voters: VoterSummary[];
  /** Every voter the filter matches, not just this page. */
  readonly total: number;
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_VOTER_PAGE_SIZE = 50;
export const MAX_VOTER_PAGE_SIZE = 500;
// Versioned so a later sort order (by name, by address) can bring its own cursor shape.
const CURSOR_PREFIX = 'v1:';

@Injectable()
export class VoterSearchService {
  constructor(private readonly voters: VoterSearchRepository) {}

  async search(filter: VoterFilter, access: DataAccess, page: VoterSearchPage = {}): Promise<VoterSearchResult> {
    const limit = page.limit ?? DEFAULT_VOTER_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_VOTER_PAGE_SIZE) {
      throw new DomainException(DomainErrorCode.ValidationFailed, `limit must be a whole number from 1 to ${MAX_VOTER_PAGE_SIZE}; got ${limit}`, {
        parameter: 'limit',
      });
    }
    const after = page.after === undefined ? undefined : decodeCursor(page.after);
    // One row more than asked tells whether another page exists without a second query.
    const { rows, total } = await this.voters.searchWithTotal(filter, { after, limit: limit + 1 }, access);
    const voters = rows.slice(0, limit);
    const year = new Date().getUTCFullYear();
    return {
      voters: voters.map((row) => toSummary(row, year)),
      total,
      nextCursor: rows.length > limit ? encodeCursor(voters[voters.length - 1].id) : null,
    };
  }
}

function toSummary(row: VoterSearchRow, year: number): VoterSummary {
  return {
    id: row.id,
    sourceVoterId: row.sourceVoterId,
    firstName: row.firstName,
    middleName: row.middleName,
    lastName: row.lastName,
    nameSuffix: row.nameSuffix,
    residentialAddress: row.residentialAddress,
    city: row.city,
    county: row.county,
    precinct: row.precinct,
    zip5: row.zip5,
    age: ageFromBirthYear(row.birthYear, year),
    party: row.party,
    partyCode: row.partyCode,
    raceEthnicity: row.raceEthnicity,
    propensity: row.propensity,
    phones: row.phones.map((phone) => ({ e164: phone.e164, lineType: phone.lineType })),
    active: row.active,
  };
}

function encodeCursor(lastId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${lastId}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,19}$/.test(id) || BigInt(id) > 2n ** 63n - 1n) {
    throw new DomainException(DomainErrorCode.ValidationFailed, 'after must be a nextCursor returned by an earlier search', { parameter: 'after' });
  }
  return id;
}
