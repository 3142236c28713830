import { useCallback, useEffect, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { type CallableCampaign, listCallableCampaigns } from './calling.client';

/** The phone campaigns the person can call in now. */
export function useCallableCampaigns(): { campaigns: readonly CallableCampaign[] | null; error: string | null; reload: () => void } {
  const [campaigns, setCampaigns] = useState<readonly CallableCampaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listCallableCampaigns(controller.signal).then(
      (answer) => {
        setCampaigns(answer.campaigns);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return { campaigns, error, reload: useCallback(() => setAttempt((count) => count + 1), []) };
}
