export type SegmentApplicationStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One run of a model over every active voter of its alliance. */
export interface SegmentApplicationRecord {
  readonly id: string;
  readonly allianceId: string;
  readonly modelId: string;
  readonly status: SegmentApplicationStatus;
  readonly votersTotal: number | null;
  readonly votersDone: number;
  /** Voters per segment key once it succeeded. */
  readonly distribution: Readonly<Record<string, number>> | null;
  readonly seconds: number | null;
  readonly errorMessage: string | null;
  readonly requestedByUserId: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}
