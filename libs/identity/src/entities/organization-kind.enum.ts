export enum OrganizationKind {
  Anchor = 'anchor',
  Member = 'member',
}
