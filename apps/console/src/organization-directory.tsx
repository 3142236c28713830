import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { listOrganizations, type Organization } from './organizations.client';

export interface OrganizationDirectory {
  /** Null until the list arrives (or when it could not be fetched). */
  readonly organizations: readonly Organization[] | null;
  readonly error: string | null;
  readonly bySlug: (slug: string | null) => Organization | undefined;
  readonly reload: () => void;
}

const DirectoryContext = createContext<OrganizationDirectory | null>(null);

export function useOrganizationDirectory(): OrganizationDirectory {
  const value = useContext(DirectoryContext);
  if (value === null) throw new Error('useOrganizationDirectory needs an OrganizationDirectoryProvider above it');
  return value;
}

/**
 * The alliance's organizations, fetched once per signed-in session and alliance (`sessionKey`,
 * null when signed out): the header
 * names the person's organizations with them, the turf page finds its region and members, the
 * organizations page lists them.
 */
export function OrganizationDirectoryProvider({ sessionKey, children }: { sessionKey: string | null; children: ReactNode }) {
  const [organizations, setOrganizations] = useState<readonly Organization[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setOrganizations(null);
    setError(null);
    // Signed out, there is nothing to ask for (and a 401 would read as a session that just ended).
    if (sessionKey === null) return;
    const controller = new AbortController();
    listOrganizations(controller.signal).then(
      (answer) => {
        setOrganizations(answer.organizations);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [sessionKey, attempt]);

  const reload = useCallback(() => setAttempt((count) => count + 1), []);
  const value = useMemo<OrganizationDirectory>(
    () => ({
      organizations,
      error,
      bySlug: (slug) => (slug === null ? undefined : organizations?.find((organization) => organization.slug === slug)),
      reload,
    }),
    [organizations, error, reload],
  );
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}
