/**
 * The rows of an UPDATE or DELETE … RETURNING run through TypeORM's `query`, which answers those
 * with `[rows, affectedCount]` but an INSERT or SELECT with the rows alone.
 */
export function returnedRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Row[];
  return result as Row[];
}
