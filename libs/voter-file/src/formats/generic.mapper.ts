import { cleanText, parseBirthYear, parseZip5, type Parsed } from '../normalization/field-parsers.util';
import { normalizeParty } from '../normalization/party.normalizer';
import { normalizeRaceEthnicity } from '../normalization/race-ethnicity.normalizer';
import { normalizePhone } from '../phone-number.util';
import { parseVoterFileDate } from './california.mapper';
import { InvalidMappingError } from './invalid-mapping.error';
import { MissingColumnsError } from './missing-columns.error';
import { type LineProblem, type MappedLine, rejectedLine as rejected, type VoterPhone } from './normalized-voter';
import type { FieldDelimiter, VoterFileMapper } from './voter-file.mapper';

/** The voter fields a generic file's columns can be mapped to. */
export const VOTER_FIELDS = [
  'sourceVoterId',
  'firstName',
  'middleName',
  'lastName',
  'nameSuffix',
  'residentialAddress',
  'city',
  'county',
  'precinct',
  'zip5',
  'birthYear',
  'birthDate',
  'partyCode',
  'genderCode',
  'raceCode',
  'ethnicityCode',
  'registrationDate',
  'registrationStatus',
  'phone',
  'phone2',
  'phone3',
] as const;

export type VoterField = (typeof VOTER_FIELDS)[number];

const FIELD_DELIMITERS: readonly FieldDelimiter[] = ['\t', ',', '|', ';'];
const PHONE_FIELDS = ['phone', 'phone2', 'phone3'] as const satisfies readonly VoterField[];
const MAPPING_SHAPE = '{ "columns": { "<source column>": "<field>", … } }';

/** Which column of a generic file fills which voter field; source columns match the header case-insensitively. */
export interface VoterFileMapping {
  readonly columns: Readonly<Record<string, VoterField>>;
  /** The file's field delimiter, when the mapping says it; otherwise it is read off the header. */
  readonly delimiter?: FieldDelimiter;
}

/**
 * Checks a mapping read from JSON and returns it typed, or throws InvalidMappingError naming
 * what is wrong: not an object, unknown field names (listing the valid ones), a field mapped
 * from two columns, a column mapped twice, or no column for the voter id.
 */
export function parseVoterFileMapping(json: unknown): VoterFileMapping {
  if (!isPlainObject(json)) throw new InvalidMappingError(`The mapping must be a JSON object of the form ${MAPPING_SHAPE}`);
  const unknownKeys = Object.keys(json).filter((key) => key !== 'columns' && key !== 'delimiter');
  if (unknownKeys.length > 0) {
    throw new InvalidMappingError(`The mapping has unknown key(s) ${unknownKeys.join(', ')}; it takes "columns" and, optionally, "delimiter"`, { unknownKeys });
  }
  const { columns, delimiter } = json;
  if (!isPlainObject(columns)) throw new InvalidMappingError(`The mapping's "columns" must be an object of the form ${MAPPING_SHAPE}`);
  if (delimiter !== undefined && !FIELD_DELIMITERS.includes(delimiter as FieldDelimiter)) {
    throw new InvalidMappingError(`The mapping's delimiter must be one of ${FIELD_DELIMITERS.map((value) => JSON.stringify(value)).join(', ')}`, { delimiter });
  }

  const entries = Object.entries(columns).map(([column, field]) => [column.trim(), field] as const);
  if (entries.some(([column]) => column === '')) throw new InvalidMappingError('The mapping has an empty source column name');
  const unknownFields = entries.filter(([, field]) => !VOTER_FIELDS.includes(field as VoterField)).map(([, field]) => JSON.stringify(field));
  if (unknownFields.length > 0) {
    throw new InvalidMappingError(`The mapping names unknown field(s) ${unknownFields.join(', ')}; the fields are ${VOTER_FIELDS.join(', ')}`, {
      unknownFields,
      validFields: VOTER_FIELDS,
    });
  }
  const mapped = entries as ReadonlyArray<readonly [string, VoterField]>;
  const repeatedColumn = duplicateOf(mapped.map(([column]) => column.toLowerCase()));
  if (repeatedColumn !== undefined) {
    // JSON keys are unique, so a repeat differs only in case or surrounding spaces: name each spelling.
    const spellings = Object.keys(columns).filter((column) => column.trim().toLowerCase() === repeatedColumn);
    throw new InvalidMappingError(
      `The source column ${spellings[0].trim()} is mapped more than once (as ${spellings.map((column) => JSON.stringify(column)).join(', ')})`,
      {
        columns: spellings,
      },
    );
  }
  const repeatedField = duplicateOf(mapped.map(([, field]) => field));
  if (repeatedField !== undefined) {
    const sources = mapped.filter(([, field]) => field === repeatedField).map(([column]) => column);
    throw new InvalidMappingError(`The field ${repeatedField} is mapped from more than one column (${sources.join(', ')}); map each field from one column`, {
      field: repeatedField,
      columns: sources,
    });
  }
  const fields = new Set(mapped.map(([, field]) => field));
  if (!fields.has('sourceVoterId'))
    throw new InvalidMappingError('No column is mapped to sourceVoterId; the mapping must name the column holding the voter id');
  if (fields.has('birthYear') && fields.has('birthDate')) throw new InvalidMappingError('Map either birthYear or birthDate, not both');
  return { columns: Object.fromEntries(mapped), ...(delimiter === undefined ? {} : { delimiter: delimiter as FieldDelimiter }) };
}

interface MappedColumn {
  readonly position: number;
  /** As the header spells it, for problem reports. */
  readonly name: string;
}

/**
 * Maps the lines of any other delimited voter file through a column mapping. Every mapped
 * column must be in the header; columns the mapping does not name are ignored.
 */
export class GenericMapper implements VoterFileMapper {
  readonly format = 'generic' as const;
  readonly keyColumn: string;
  readonly carriesVoters = true;
  readonly carriesHistory = false;
  private readonly columnOf: ReadonlyMap<VoterField, MappedColumn>;

  constructor(
    private readonly header: readonly string[],
    mapping: VoterFileMapping,
    private readonly asOfYear: number,
  ) {
    const { columns } = parseVoterFileMapping(mapping);
    const index = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
    const mappedColumns = Object.keys(columns);
    const missing = mappedColumns.filter((column) => !index.has(column.toLowerCase()));
    if (missing.length > 0) throw new MissingColumnsError('generic', missing, mappedColumns);
    this.columnOf = new Map(
      Object.entries(columns).map(([column, field]) => {
        const position = index.get(column.toLowerCase()) as number;
        return [field, { position, name: header[position].trim() }];
      }),
    );
    this.keyColumn = (this.columnOf.get('sourceVoterId') as MappedColumn).name;
  }

  map(lineNumber: number, fields: readonly string[]): MappedLine {
    if (fields.length !== this.header.length) {
      return rejected({ lineNumber, column: null, reason: `expected ${this.header.length} fields (as in the header), found ${fields.length}` });
    }
    const value = (field: VoterField): string => {
      const column = this.columnOf.get(field);
      return column === undefined ? '' : fields[column.position];
    };
    const text = (field: VoterField): string | null => cleanText(value(field));
    const problem = (field: VoterField, reason: string): MappedLine => rejected({ lineNumber, column: this.nameOf(field), reason });

    const sourceVoterId = text('sourceVoterId');
    if (sourceVoterId === null) return problem('sourceVoterId', 'the voter id is empty');
    const birthYear = this.birthYear(value);
    if (!birthYear.ok) return problem(this.columnOf.has('birthDate') ? 'birthDate' : 'birthYear', birthYear.reason);
    const registration = parseVoterFileDate(value('registrationDate'));
    if (!registration.ok) return problem('registrationDate', registration.reason);
    const zip = parseZip5(value('zip5'));
    if (!zip.ok) return problem('zip5', zip.reason);

    const phones: VoterPhone[] = [];
    const dropped: LineProblem[] = [];
    for (const field of PHONE_FIELDS) {
      const raw = value(field);
      if (raw.trim() === '') continue;
      const phone = normalizePhone(raw);
      if (!phone.ok) dropped.push({ lineNumber, column: this.nameOf(field), reason: `phone dropped: ${phone.reason}` });
      else if (!phones.some((known) => known.e164 === phone.e164)) phones.push({ e164: phone.e164, lineType: phone.lineType });
    }
    const partyCode = text('partyCode');
    const raceCode = text('raceCode');
    const ethnicityCode = text('ethnicityCode');
    return {
      voter: {
        sourceVoterId,
        firstName: text('firstName'),
        middleName: text('middleName'),
        lastName: text('lastName'),
        nameSuffix: text('nameSuffix'),
        residentialAddress: text('residentialAddress'),
        // Places in capitals, as every state file writes them, so one search finds them whatever the source.
        city: text('city')?.toUpperCase() ?? null,
        county: text('county')?.toUpperCase() ?? null,
        precinct: text('precinct')?.toUpperCase() ?? null,
        zip5: zip.value,
        birthYear: birthYear.value,
        partyCode,
        party: normalizeParty(partyCode ?? ''),
        genderCode: text('genderCode'),
        raceCode,
        ethnicityCode,
        raceEthnicity: normalizeRaceEthnicity(raceCode ?? '', ethnicityCode ?? ''),
        registrationDate: registration.value,
        registrationStatus: text('registrationStatus'),
        phones,
      },
      history: [],
      rejection: null,
      dropped,
    };
  }

  private birthYear(value: (field: VoterField) => string): Parsed<number | null> {
    if (!this.columnOf.has('birthDate')) return parseBirthYear(value('birthYear'), this.asOfYear);
    const birthDate = parseVoterFileDate(value('birthDate'));
    return birthDate.ok ? parseBirthYear(birthDate.value?.slice(0, 4) ?? '', this.asOfYear) : birthDate;
  }

  private nameOf(field: VoterField): string {
    return this.columnOf.get(field)?.name ?? field;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function duplicateOf<T>(values: readonly T[]): T | undefined {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}
