/** One shift of a run: the 30-day accounting reports each. */
export interface ShiftResult {
  readonly liveAnswers: number;
  readonly abandoned: number;
  readonly abandonRate: number;
  readonly observedLiveAnswers: number;
  readonly observedAbandoned: number;
  readonly conversations: number;
}

/** The §5.4 metrics of one run. "Measured" means after each shift's warm-up. */
export interface SimulationResult {
  /** Measured conversations ÷ measured logged-in, non-paused volunteer-hours. */
  readonly conversationsPerVolunteerHour: number;
  /** Σ(talk + wrap-up) ÷ logged-in non-paused time, measured. */
  readonly utilization: number;
  /** Ground truth over the whole run, warm-up included: live humans not connected within 2 s of their greeting ÷ live human answers. */
  readonly abandonRate: number;
  /** What the dialer's own records say (AMD errors hide some abandoned humans and add some machines). */
  readonly observedAbandonRate: number;
  /** Dials placed in the measured period. */
  readonly dials: number;
  /** Humans connected in the measured period. */
  readonly conversations: number;
  /** Ground truth, whole run. */
  readonly liveAnswers: number;
  readonly abandoned: number;
  /** Of `abandoned`: live humans detection called machines and we hung up on (ε_h), whatever the pacer did. */
  readonly humansHungUpAsMachines: number;
  readonly observedLiveAnswers: number;
  readonly observedAbandoned: number;
  /** Calls started outside 08:00–21:00 called-party local time (must be 0). */
  readonly wrongWindowDials: number;
  /** Unanswered calls we ended before 15 s of ringing (must be 0). */
  readonly shortRings: number;
  /** Mobile or unknown-type leads without consent started as `automatic` dials (must be 0). */
  readonly automaticMobileDials: number;
  readonly dialsPerConversation: number;
  /** Volunteer idle time from becoming ready to the next call connecting, measured. */
  readonly meanWaitBetweenCallsSeconds: number;
  readonly p90WaitBetweenCallsSeconds: number;
  /** Most lines at once without a volunteer (queued, ringing, answered or waiting), ground truth. */
  readonly maxLinesInFlight: number;
  readonly oracleBound: number;
  readonly ratioToOracle: number;
  /** Measured logged-in, non-paused volunteer-hours. */
  readonly volunteerHours: number;
  /** How every started dial ended (whole run; a machine picking up after the timeout is a no-answer). */
  readonly outcomes: { readonly human: number; readonly machine: number; readonly noAnswer: number; readonly failed: number };
  readonly totalDials: number;
  readonly decisions: number;
  readonly events: number;
  readonly shifts: readonly ShiftResult[];
}
