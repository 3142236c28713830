import { useCallback, useEffect, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { getVoterImport, listVoterImports, type VoterImport } from './voter-file.client';

const POLL_INTERVAL_MS = 1000;

export function isUnfinished(voterImport: VoterImport): boolean {
  return voterImport.status === 'queued' || voterImport.status === 'running';
}

export interface VoterImports {
  /** Newest first; null until the first list arrives. */
  readonly imports: readonly VoterImport[] | null;
  /** Why the list or the latest progress could not be fetched. */
  readonly error: string | null;
  /** Goes up each time an import is seen to succeed, so views of the voters can refresh. */
  readonly succeededCount: number;
  readonly reload: () => void;
  readonly add: (voterImport: VoterImport) => void;
}

/**
 * The alliance's imports: the list once, then every unfinished import by id each second until
 * it finishes. A failed poll is reported and retried on the next tick.
 */
export function useVoterImports(): VoterImports {
  const [imports, setImports] = useState<readonly VoterImport[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [progressError, setProgressError] = useState<string | null>(null);
  const [loadCount, setLoadCount] = useState(0);
  const [pollCount, setPollCount] = useState(0);
  const [succeededCount, setSucceededCount] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listVoterImports(controller.signal).then(
      (answer) => {
        setImports(answer.imports);
        setListError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setListError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [loadCount]);

  const unfinishedIds = (imports ?? [])
    .filter(isUnfinished)
    .map((voterImport) => voterImport.id)
    .join(',');

  useEffect(() => {
    if (unfinishedIds === '') return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      const answers = await Promise.allSettled(unfinishedIds.split(',').map((id) => getVoterImport(id, controller.signal)));
      if (controller.signal.aborted) return;
      const fresh = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
      const byId = new Map(fresh.map((voterImport) => [voterImport.id, voterImport]));
      setImports((current) => current?.map((voterImport) => byId.get(voterImport.id) ?? voterImport) ?? current);
      if (fresh.some((voterImport) => voterImport.status === 'succeeded')) setSucceededCount((count) => count + 1);
      const failure = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
      setProgressError(failure === undefined ? null : `Progress could not be refreshed: ${describeError(failure.reason)} Retrying every second.`);
      setPollCount((count) => count + 1);
    }, POLL_INTERVAL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [unfinishedIds, pollCount]);

  const reload = useCallback(() => setLoadCount((count) => count + 1), []);
  const add = useCallback((voterImport: VoterImport) => {
    setImports((current) => [voterImport, ...(current ?? []).filter((known) => known.id !== voterImport.id)]);
  }, []);

  return { imports, error: listError ?? progressError, succeededCount, reload, add };
}
