/**
 * What one transaction may read of the voter data, as PostgreSQL's row policies see it. The
 * application's policy layer derives it from the user's memberships; the database enforces it.
 */
export type RowAccessScope =
  | { readonly kind: 'alliance'; readonly allianceId: string }
  | {
      readonly kind: 'organizations';
      readonly allianceId: string;
      /** Voters turfed to these organizations, in any campaign. */
      readonly organizationIds: readonly string[];
      /** Every voter of these counties (an anchor's region, where it cuts turf). */
      readonly regionCounties: readonly string[];
      /**
       * A calling session's transaction: the voters of the household it holds on the call list are
       * found without the organization's whole turf (a narrowing for speed: they are turf already).
       */
      readonly callingSessionId?: string;
    };

/**
 * What a query over voter data needs from the policy layer: the narrowing the query applies
 * itself (`visibility`), and the scope the row policies enforce underneath (`rowScope`). The two
 * are the same except in the test that removes the first wall to prove the second.
 */
export interface DataAccess {
  readonly rowScope: RowAccessScope;
  readonly visibility: RowAccessScope;
}

/** An operator's access (the cli, the demo seeder): every voter of one alliance. */
export function allianceWideAccess(allianceId: string): DataAccess {
  const scope: RowAccessScope = { kind: 'alliance', allianceId };
  return { rowScope: scope, visibility: scope };
}
