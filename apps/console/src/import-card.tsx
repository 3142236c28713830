import { useId, useState } from 'react';
import { formatBytes, formatCount, formatDateTime, formatDuration } from './format';
import { ImportErrors } from './import-errors';
import type { VoterImport, VoterImportPhase, VoterImportStatus } from './voter-file.client';

const STATUS_LABELS: Record<VoterImportStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  rejected: 'Rejected',
  failed: 'Failed',
};

const PHASE_LABELS: Record<VoterImportPhase, string> = {
  queued: 'Waiting to start',
  reading: 'Reading the file',
  merging: 'Merging into the voter file',
  done: 'Done',
};

/** One import: its progress while it runs, what it did once it is done. */
export function ImportCard({ voterImport }: { voterImport: VoterImport }) {
  const { fileName, fileBytes, format, status, createdAt, errorCount } = voterImport;
  const [showErrors, setShowErrors] = useState(false);
  const ids = useId();
  const errorsId = `${ids}-errors`;

  return (
    <article className="import-card" aria-labelledby={`${ids}-name`}>
      <header className="import-card-header">
        <h3 id={`${ids}-name`}>{fileName}</h3>
        <span className={`status-badge status-${status}`}>{STATUS_LABELS[status] ?? status}</span>
      </header>
      <p className="muted small">
        {formatBytes(fileBytes)} · {format ?? 'format not known yet'}
        {voterImport.fullRefresh === true && ' · full refresh'} · uploaded {formatDateTime(createdAt)}
      </p>

      {status === 'queued' || status === 'running' ? <ImportProgress voterImport={voterImport} /> : <ImportResult voterImport={voterImport} />}

      {/* Stays mounted across the card's states so that each change is announced; in tens of percent, not every second. */}
      <p role="status" className="visually-hidden">
        {announcement(voterImport)}
      </p>

      {errorCount > 0 && (
        <>
          <button type="button" className="secondary" aria-expanded={showErrors} aria-controls={errorsId} onClick={() => setShowErrors((shown) => !shown)}>
            {showErrors ? 'Hide errors' : `View errors (${formatCount(errorCount)})`}
          </button>
          {showErrors && <ImportErrors id={errorsId} importId={voterImport.id} errorCount={errorCount} />}
        </>
      )}
    </article>
  );
}

function ImportProgress({ voterImport }: { voterImport: VoterImport }) {
  const { status, phase, rowsRead, rowsPerSecond } = voterImport;
  const percent = Math.min(100, Math.max(0, voterImport.percent));
  const shownPercent = Math.floor(percent);
  const labelId = useId();
  const details = [PHASE_LABELS[phase] ?? phase, `${shownPercent}%`, `${formatCount(rowsRead)} rows`];
  if (rowsPerSecond !== null) details.push(`${formatCount(Math.round(rowsPerSecond))} rows/s`);

  return (
    <div className="import-progress">
      {/* A queued import has no measure yet: an indeterminate bar says "waiting" without a number. */}
      {status === 'queued' ? (
        <progress aria-labelledby={labelId} />
      ) : (
        <progress max={100} value={percent} aria-labelledby={labelId} aria-valuetext={`${shownPercent}%, ${PHASE_LABELS[phase] ?? phase}`} />
      )}
      <p id={labelId}>{status === 'queued' ? 'Queued: waiting for a worker to start it.' : details.join(' · ')}</p>
    </div>
  );
}

function ImportResult({ voterImport }: { voterImport: VoterImport }) {
  const { status, errorMessage } = voterImport;
  const took = formatDuration(voterImport.startedAt, voterImport.finishedAt);
  const counts: Array<[string, number]> = [
    ['Rows read', voterImport.rowsRead],
    ['New voters', voterImport.inserted],
    ['Updated', voterImport.updated],
    ['Unchanged', voterImport.unchanged],
    ['Marked inactive', voterImport.deactivated],
    ['Lines rejected', voterImport.rejected],
    ['Phones dropped', voterImport.droppedPhones],
  ];
  // Vote-history files add history rows; voter files never do, so show these only when they say something.
  if (voterImport.historyRows > 0 || voterImport.unmatched > 0 || voterImport.format === 'ncvhis') {
    counts.push(['History rows', voterImport.historyRows], ['History rows with no matching voter', voterImport.unmatched]);
  }

  return (
    <div className="import-result">
      {(status === 'rejected' || status === 'failed') && (
        <p className={`result-message result-${status}`}>
          {errorMessage ?? (status === 'rejected' ? 'The file was refused; nothing was imported.' : 'The import stopped; nothing was imported.')}
        </p>
      )}
      {status === 'succeeded' && <p className="result-message result-succeeded">Imported{took === null ? '' : ` in ${took}`}.</p>}
      <dl className="counts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function announcement({ fileName, status, phase, percent, inserted, updated, errorMessage }: VoterImport): string {
  switch (status) {
    case 'queued':
      return `${fileName} is queued.`;
    case 'running':
      return `${fileName}: ${PHASE_LABELS[phase] ?? phase}, ${Math.floor(Math.min(100, Math.max(0, percent)) / 10) * 10}%.`;
    case 'succeeded':
      return `${fileName} imported: ${formatCount(inserted)} new voters, ${formatCount(updated)} updated.`;
    default:
      return `${fileName} ${STATUS_LABELS[status]?.toLowerCase() ?? status}: ${errorMessage ?? 'nothing was imported.'}`;
  }
}
