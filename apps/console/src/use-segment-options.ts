import { useEffect, useState } from 'react';
import { mayUse } from './roles';
import { getTaxonomy } from './segments.client';
import { useSession } from './session-context';

/** A values segment as a filter offers it. */
export interface SegmentOption {
  readonly key: string;
  readonly name: string;
  /** `#rrggbb`. */
  readonly colour: string;
}

interface Loading {
  readonly options: Promise<readonly SegmentOption[] | null>;
  readonly controller: AbortController;
  users: number;
}

/**
 * One request per alliance while a page shows its filters: the components of a page share it, a
 * component remounted in place (the turf cutter when another anchor is picked) finds it still
 * there, and leaving the page lets it go, so the next page asks afresh for the current taxonomy.
 */
const loadings = new Map<string, Loading>();

function take(key: string): Loading {
  let loading = loadings.get(key);
  if (loading === undefined) {
    const controller = new AbortController();
    const options = getTaxonomy(controller.signal).then(
      (taxonomy) => taxonomy.segments.map(({ key: segment, name, colour }) => ({ key: segment, name, colour })),
      // A refusal (403) or no network: the filter goes without segments rather than failing the page.
      () => null,
    );
    loading = { options, controller, users: 0 };
    loadings.set(key, loading);
  }
  loading.users += 1;
  return loading;
}

function release(key: string, loading: Loading): void {
  loading.users -= 1;
  // Later, not now: a component remounting takes it again in the same commit.
  setTimeout(() => {
    if (loading.users > 0 || loadings.get(key) !== loading) return;
    loadings.delete(key);
    loading.controller.abort();
  }, 0);
}

/**
 * The alliance's values segments for a filter, in taxonomy order; null while they load, for
 * roles that may not read them, and when they cannot be had (the filter then hides the control).
 */
export function useSegmentOptions(): readonly SegmentOption[] | null {
  const { alliance, memberships } = useSession();
  const allowed = mayUse(memberships, 'segments');
  const key = allowed ? (alliance ?? '') : null;
  const [loaded, setLoaded] = useState<{ readonly key: string; readonly options: readonly SegmentOption[] | null } | null>(null);

  useEffect(() => {
    if (key === null) return;
    let current = true;
    const loading = take(key);
    void loading.options.then((options) => {
      if (current) setLoaded({ key, options });
    });
    return () => {
      current = false;
      release(key, loading);
    };
  }, [key]);

  return key !== null && loaded?.key === key ? loaded.options : null;
}
