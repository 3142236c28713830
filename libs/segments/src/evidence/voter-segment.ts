import type { VoterExplanation } from '../explanations/segment-explanation';
import type { EvidenceSource } from './segment-evidence.repository';

/** What a volunteer or data lead sees of one voter's segment. */
export interface VoterSegmentView {
  readonly voterId: string;
  /** The active model that classified the voter, or null when none has been applied yet. */
  readonly model: { readonly id: string; readonly version: number; readonly name: string; readonly kind: 'rules' | 'trained' } | null;
  readonly segment: { readonly key: string; readonly name: string; readonly colour: string; readonly description: string } | null;
  readonly probability: number | null;
  /** The current probability of every segment (model, then each answer), by key. */
  readonly probabilities: Readonly<Record<string, number>>;
  /** The model's own probabilities, before any answer. */
  readonly modelProbabilities: Readonly<Record<string, number>>;
  readonly explanation: VoterExplanation | null;
  readonly evidence: ReadonlyArray<{
    readonly questionKey: string;
    readonly question: string;
    readonly answerKey: string;
    readonly answer: string;
    readonly source: EvidenceSource;
    readonly segmentAfter: string | null;
    readonly probabilityAfter: number | null;
    readonly createdAt: Date;
  }>;
}

/** Just the segment, as a call card shows it. */
export interface SegmentSummary {
  readonly key: string;
  readonly name: string;
  readonly colour: string;
  readonly probability: number;
}
