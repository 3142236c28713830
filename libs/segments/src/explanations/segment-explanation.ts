import type { FeatureGroup } from '../features/voter-feature.encoder';

/** How one attribute of a voter moved them toward (+) or away from (−) their segment, in log-odds. */
export interface VoterContribution {
  readonly group: FeatureGroup;
  /** The voter's value in words ("aged 25 to 34", "a registered Democrat"). */
  readonly description: string;
  readonly effect: number;
}

export interface VoterExplanation {
  readonly kind: 'rules' | 'trained';
  /** Plain sentences a volunteer or data lead can read, most important first. */
  readonly sentences: readonly string[];
  readonly contributions: readonly VoterContribution[];
  /** For a rule model: the rule that decided (−1: none did, the fallback applied). */
  readonly ruleIndex: number | null;
}

export interface SegmentWeights {
  readonly segment: string;
  readonly name: string;
  /** Features that make a voter more likely to be in this segment than in the average one, per standard deviation. */
  readonly moreLikely: ReadonlyArray<{ readonly feature: string; readonly label: string; readonly effect: number }>;
  readonly lessLikely: ReadonlyArray<{ readonly feature: string; readonly label: string; readonly effect: number }>;
  readonly sentence: string;
}

export interface ModelExplanation {
  readonly kind: 'rules' | 'trained';
  readonly segments: readonly SegmentWeights[];
  /** For a rule model: each rule in words, in order, then the fallback. */
  readonly rules: readonly string[];
}
