import { useEffect, useState } from 'react';

/** The time now (ms), ticking every `intervalMs` while `ticking`: for clocks, without a timer when nothing runs. */
export function useNow(ticking: boolean, intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [ticking, intervalMs]);
  return now;
}
