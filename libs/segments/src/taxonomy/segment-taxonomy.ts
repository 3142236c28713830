/** One values segment of an alliance's taxonomy. */
export interface SegmentDefinition {
  /** Stable identifier used by models, scripts and exports (lower snake case). */
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** `#rrggbb`, used for the segment in every chart and badge. */
  readonly colour: string;
}

export interface ValuesAnswer {
  readonly key: string;
  readonly label: string;
  /** P(this answer | the voter is in the segment), by segment key; a segment left out counts as uninformative. */
  readonly likelihoods: Readonly<Record<string, number>>;
}

/** A question a volunteer can ask whose answer tells segments apart (used by scripts and texting). */
export interface ValuesQuestion {
  readonly key: string;
  readonly prompt: string;
  readonly answers: readonly ValuesAnswer[];
}

export interface SegmentTaxonomyInput {
  readonly segments: readonly SegmentDefinition[];
  readonly valuesQuestions: readonly ValuesQuestion[];
}

/** An immutable version of an alliance's taxonomy; models are tied to the version they were built for. */
export interface SegmentTaxonomy extends SegmentTaxonomyInput {
  readonly id: string;
  readonly allianceId: string;
  readonly version: number;
  readonly createdByUserId: string | null;
  readonly createdAt: Date;
}

export function segmentIndexOf(taxonomy: SegmentTaxonomyInput, key: string): number {
  return taxonomy.segments.findIndex((segment) => segment.key === key);
}
