/** The roles migration 1795400000006 creates; their names are part of the schema. */
export enum DatabaseRole {
  /** What the api acts as: no superuser, no owner, no BYPASSRLS, and no row policy of its own. */
  Api = 'crossroads_api',
  /** Taken for one transaction to read an alliance's voters, all of them. */
  AllianceReader = 'crossroads_alliance_reader',
  /** Taken for one transaction to read the voters of some organizations: their region and their turf. */
  OrganizationReader = 'crossroads_organization_reader',
}
