import { ImportCard } from './import-card';
import type { VoterImport } from './voter-file.client';

/** The alliance's imports, newest first. */
export function ImportList({ imports, error, onRetry }: { imports: readonly VoterImport[] | null; error: string | null; onRetry: () => void }) {
  return (
    <div className="stack">
      {error !== null && (
        <p role="alert" className="form-error">
          {error}{' '}
          {imports === null && (
            <button type="button" className="link-button" onClick={onRetry}>
              Try again
            </button>
          )}
        </p>
      )}
      {imports === null && error === null && <p className="muted">Loading imports…</p>}
      {imports !== null && imports.length === 0 && <p className="muted">No voter files have been imported yet. Upload one to start.</p>}
      {imports !== null && imports.length > 0 && (
        <ol className="import-list">
          {imports.map((voterImport) => (
            <li key={voterImport.id}>
              <ImportCard voterImport={voterImport} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
