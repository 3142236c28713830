import { FormError } from './form-fields';
import { ImportCard } from './import-card';
import type { VoterImport } from './voter-file.client';

/** The alliance's imports, newest first. */
export function ImportList({ imports, error, onRetry }: { imports: readonly VoterImport[] | null; error: string | null; onRetry: () => void }) {
  return (
    <div className="stack">
      {/* Only a list that never loaded is worth a retry; a failed progress poll retries itself every second. */}
      <FormError error={error} onRetry={imports === null ? onRetry : undefined} />
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
