import { useEffect, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatCount } from './format';
import { FormError } from './form-fields';
import { listVoterImportErrors, type VoterImportError, type VoterImportErrorKind } from './voter-file.client';

const KIND_LABELS: Record<VoterImportErrorKind, string> = {
  rejected: 'Line rejected',
  dropped: 'Phone dropped',
  duplicate: 'Repeated voter id',
};

interface ErrorPages {
  readonly errors: readonly VoterImportError[];
  readonly nextCursor: string | null;
}

/** The problems an import found, line by line, a hundred at a time. */
export function ImportErrors({ importId, id, errorCount }: { importId: string; id: string; errorCount: number }) {
  const [pages, setPages] = useState<ErrorPages | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listVoterImportErrors(importId, after, controller.signal).then(
      (page) => {
        setPages((current) => ({ errors: after === null ? page.errors : [...(current?.errors ?? []), ...page.errors], nextCursor: page.nextCursor }));
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        setError(describeError(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [importId, after, attempt]);

  const shown = pages?.errors.length ?? 0;

  return (
    <section id={id} className="import-errors" aria-label="Errors in this import" aria-busy={loading}>
      {pages !== null && pages.errors.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Import errors" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Kind</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {pages.errors.map((row, index) => (
                <tr key={`${row.lineNumber}-${index}`}>
                  <td className="numeric">{formatCount(row.lineNumber)}</td>
                  <td>{row.column ?? '—'}</td>
                  <td className="nowrap">{KIND_LABELS[row.kind] ?? row.kind}</td>
                  <td className="wrap">{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages !== null && pages.errors.length === 0 && <p className="muted">No errors were recorded for this import.</p>}
      <p className="muted" role="status">
        {loading ? 'Loading errors…' : pages === null ? '' : `Showing ${formatCount(shown)} of ${formatCount(Math.max(errorCount, shown))} errors.`}
      </p>
      <FormError error={error} onRetry={() => setAttempt((count) => count + 1)} />
      {pages !== null && pages.nextCursor !== null && (
        // Stays in place while the next page loads, so keyboard focus is not lost.
        <button type="button" className="secondary" aria-disabled={loading} onClick={() => !loading && setAfter(pages.nextCursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
