/** Every merge field a script text can use, written `{voter.first_name}` or `{voter.first_name|fallback}`. */
export const MERGE_FIELDS = ['voter.first_name', 'voter.last_name', 'voter.city', 'voter.age', 'volunteer.first_name', 'organization.name'] as const;

export type MergeField = (typeof MERGE_FIELDS)[number];

export function isMergeField(name: string): name is MergeField {
  return (MERGE_FIELDS as readonly string[]).includes(name);
}
