import { QueryFailedError } from 'typeorm';

/** The PostgreSQL error a statement failed with (SQLSTATE and constraint), when it failed in the database. */
export function postgresErrorOf(error: unknown): { readonly code: string; readonly constraint: string | undefined } | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: unknown; constraint?: unknown };
  return typeof driverError.code === 'string'
    ? { code: driverError.code, constraint: typeof driverError.constraint === 'string' ? driverError.constraint : undefined }
    : null;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
