import { DomainErrorCode, DomainException } from '@app/common';

/** A page's position: a timestamp as PostgreSQL prints it and the row's id, which breaks ties. */
export interface TextingCursor {
  readonly at: string;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function encodeCursor(cursor: TextingCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Null for no cursor; throws a 400 naming the parameter for one this api did not hand out. */
export function decodeCursor(value: string | undefined, parameter: string): TextingCursor | null {
  if (value === undefined) return null;
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || at === undefined || id === undefined || !TIMESTAMP.test(at) || !UUID.test(id)) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `${parameter} must be the nextCursor of a previous page`, { field: parameter });
  }
  return { at, id };
}
