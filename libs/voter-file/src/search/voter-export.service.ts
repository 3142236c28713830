import { pipeline, type Readable, Transform } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { DataAccess } from '@app/database';
import type { VoterFilter } from './voter-filter';
import { type VoterSearchRow, VoterSearchRepository } from './voter-search.repository';

export const VOTER_EXPORT_COLUMNS = [
  'source_voter_id',
  'first_name',
  'middle_name',
  'last_name',
  'name_suffix',
  'residential_address',
  'city',
  'county',
  'precinct',
  'zip5',
  'birth_year',
  'party_code',
  'party',
  'race_ethnicity',
  'propensity',
  'phone_1',
  'phone_2',
  'phone_3',
  'registration_date',
  'active',
] as const;

export type VoterExportColumn = (typeof VOTER_EXPORT_COLUMNS)[number];
export type VoterExportRecord = Record<VoterExportColumn, string>;

export interface VoterCsvExport {
  readonly csv: Readable;
  /** Data rows (not the header) handed to the CSV writer so far. */
  rowsWritten(): number;
}

@Injectable()
export class VoterExportService {
  private readonly logger = new Logger(VoterExportService.name);

  constructor(private readonly voters: VoterSearchRepository) {}

  /**
   * The matching voters as UTF-8 CSV, header first, read from the database as the consumer
   * reads the stream. Destroying the stream (a client hanging up) stops the reading.
   */
  async exportCsv(filter: VoterFilter, access: DataAccess): Promise<VoterCsvExport> {
    const started = Date.now();
    let rows = 0;
    const records = new Transform({
      objectMode: true,
      transform(row: VoterSearchRow, _encoding, done) {
        rows += 1;
        done(null, toExportRecord(row));
      },
    });
    // Counts and the alliance only: a log line must never carry a voter's name, phone or address.
    const csv = pipeline(await this.voters.streamForExport(filter, access), records, createVoterCsvStringifier(), (error) => {
      const outcome = { allianceId: filter.allianceId, rows, milliseconds: Date.now() - started };
      if (!error) this.logger.log(outcome, 'voter export finished');
      else if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') this.logger.log(outcome, 'voter export stopped by its reader');
      else this.logger.error({ ...outcome, err: error }, 'voter export failed');
    });
    return { csv, rowsWritten: () => rows };
  }
}

/**
 * A CSV writer with the export's header. A cell starting with =, +, -, @, tab or carriage return
 * gets a leading `'` (OWASP's CSV-injection advice): a spreadsheet would otherwise run a name or
 * an address from a voter file as a formula. E.164 phones start with + and are escaped too.
 */
export function createVoterCsvStringifier(): Transform {
  return stringify({ header: true, columns: [...VOTER_EXPORT_COLUMNS], escape_formulas: true });
}

export function toExportRecord(row: VoterSearchRow): VoterExportRecord {
  const text = (value: string | null) => value ?? '';
  return {
    source_voter_id: row.sourceVoterId,
    first_name: text(row.firstName),
    middle_name: text(row.middleName),
    last_name: text(row.lastName),
    name_suffix: text(row.nameSuffix),
    residential_address: text(row.residentialAddress),
    city: text(row.city),
    county: text(row.county),
    precinct: text(row.precinct),
    zip5: text(row.zip5),
    birth_year: row.birthYear === null ? '' : String(row.birthYear),
    party_code: text(row.partyCode),
    party: row.party,
    race_ethnicity: row.raceEthnicity,
    propensity: row.propensity,
    phone_1: text(row.phones[0]?.e164 ?? null),
    phone_2: text(row.phones[1]?.e164 ?? null),
    phone_3: text(row.phones[2]?.e164 ?? null),
    registration_date: text(row.registrationDate),
    active: String(row.active),
  };
}
