import { useEffect, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatCount, formatQuantity } from './format';
import { FormError } from './form-fields';
import { useDebouncedValue } from './use-debounced-value';
import { useSegmentOptions } from './use-segment-options';
import { NO_VOTER_FILTERS, searchVoters, VOTER_PAGE_SIZE, voterExportUrl, voterFilterQuery, type VoterFilters, type VoterPage } from './voter-file.client';
import { VoterFiltersForm } from './voter-filters';
import { VoterTable } from './voter-table';

const FILTER_DEBOUNCE_MS = 300;

/** Where the pages seen so far started, for one set of filters: `null` is the first page. */
interface Paging {
  readonly query: string;
  readonly cursors: ReadonlyArray<string | null>;
}

/** Filters, the matching voters a page at a time, and the same selection as CSV. */
export function VoterBrowser({ refreshKey }: { refreshKey: number }) {
  const [filters, setFilters] = useState<VoterFilters>(NO_VOTER_FILTERS);
  const segments = useSegmentOptions();
  const query = voterFilterQuery(filters);
  const appliedQuery = useDebouncedValue(query, FILTER_DEBOUNCE_MS);
  const [paging, setPaging] = useState<Paging>({ query: appliedQuery, cursors: [null] });
  // New filters start again from the first page.
  const cursors = paging.query === appliedQuery ? paging.cursors : [null];
  const after = cursors[cursors.length - 1];

  const [page, setPage] = useState<VoterPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    searchVoters(appliedQuery, after, controller.signal).then(
      (answer) => {
        setPage(answer);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        // Old rows under a message about new filters would read as the answer to them.
        setPage(null);
        setError(describeError(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [appliedQuery, after, refreshKey, attempt]);

  const pageNumber = cursors.length;
  const nextCursor = page?.nextCursor ?? null;
  const goNext = () => {
    if (!loading && nextCursor !== null) setPaging({ query: appliedQuery, cursors: [...cursors, nextCursor] });
  };
  const goPrevious = () => {
    if (!loading && pageNumber > 1) setPaging({ query: appliedQuery, cursors: cursors.slice(0, -1) });
  };
  const firstShown = (pageNumber - 1) * VOTER_PAGE_SIZE + 1;

  return (
    <div className="stack">
      <VoterFiltersForm filters={filters} onChange={setFilters} segments={segments} />
      <FormError error={error} onRetry={() => setAttempt((count) => count + 1)} />

      <div className="results-bar">
        <p className="result-total" aria-live="polite" aria-atomic="true">
          {page === null ? (loading ? 'Searching…' : '') : `${formatQuantity(page.total, 'voter')} ${page.total === 1 ? 'matches' : 'match'}`}
        </p>
        <a className="button-link secondary" href={voterExportUrl(query)}>
          Export CSV
        </a>
      </div>

      {page !== null && page.voters.length > 0 && (
        <>
          <VoterTable voters={page.voters} busy={loading} />
          <nav className="pager" aria-label="Voter pages">
            <button type="button" className="secondary" aria-disabled={loading || pageNumber === 1} onClick={goPrevious}>
              Previous page
            </button>
            <span className="muted">
              Page {formatCount(pageNumber)}, voters {formatCount(firstShown)}–{formatCount(firstShown + page.voters.length - 1)}
            </span>
            <button type="button" className="secondary" aria-disabled={loading || nextCursor === null} onClick={goNext}>
              Next page
            </button>
          </nav>
        </>
      )}
      {page !== null && page.voters.length === 0 && <p className="muted">No voters match these filters.</p>}
    </div>
  );
}
