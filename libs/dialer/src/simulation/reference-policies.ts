import type { PacingDecision, PacingSnapshot } from '../pacing/pacing-snapshot';
import type { PacingPolicy } from './pacing-policy';

const NO_ESTIMATE = { humanRate: 0, expectedSpareVolunteers: 0, riskAllowance: 0 };

interface VolunteerCounts {
  readonly ready: number;
  /** Talking or wrapping up. */
  readonly busy: number;
}

function countVolunteers(snapshot: PacingSnapshot): VolunteerCounts {
  let ready = 0;
  let busy = 0;
  for (const volunteer of snapshot.volunteers) {
    if (volunteer.state === 'ready') ready += 1;
    else if (volunteer.state === 'talking' || volunteer.state === 'wrap-up') busy += 1;
  }
  return { ready, busy };
}

/** Predictive dials from clicker-approved leads first (so approvals don't go stale), then automatic ones, within the line cap. */
function predictiveDials(snapshot: PacingSnapshot, wanted: number, humanRate: number): PacingDecision {
  const { ready, busy } = countVolunteers(snapshot);
  const available = ready + busy;
  if (available === 0) return { automatic: 0, approved: 0, volunteerInitiated: 0, basis: 'no-volunteers', estimate: NO_ESTIMATE };
  const lineRoom = snapshot.settings.maxLinesPerVolunteer * available - snapshot.lines.length;
  const dials = Math.max(0, Math.min(Math.floor(wanted), lineRoom));
  const approved = Math.min(dials, snapshot.leads.approved);
  const automatic = Math.min(dials - approved, snapshot.leads.automatic);
  const basis = approved + automatic === 0 && snapshot.leads.approved + snapshot.leads.automatic === 0 ? 'no-leads' : 'predictive';
  return { automatic, approved, volunteerInitiated: 0, basis, estimate: { ...NO_ESTIMATE, humanRate } };
}

/** Power 1:1: one line per ready volunteer without one, any line type (the volunteer's own action starts it). */
export function powerOneToOnePolicy(): PacingPolicy {
  return (snapshot) => {
    const { ready } = countVolunteers(snapshot);
    const wanted = Math.max(0, ready * snapshot.settings.powerLinesPerVolunteer - snapshot.lines.length);
    const volunteerInitiated = Math.min(wanted, snapshot.leads.automatic + snapshot.leads.manualOnly);
    return { automatic: 0, approved: 0, volunteerInitiated, basis: 'power', estimate: NO_ESTIMATE };
  };
}

/** Static ratio (§5.5 4a, Impact Dialing's form): `floor(k · ready) − lines in flight`. Tuned in hindsight. */
export function staticRatioPolicy(ratio: number): PacingPolicy {
  return (snapshot) => {
    const { ready } = countVolunteers(snapshot);
    return predictiveDials(snapshot, Math.floor(ratio * ready) - snapshot.lines.length, 0);
  };
}

export interface LookAheadOptions {
  readonly alpha: number;
  /** The true live-human rate per dial: the reference is told it. */
  readonly humanRate: number;
  /** The true E[H] = talk mean + wrap-up mean, seconds. */
  readonly meanHandleSeconds: number;
  /** Dial to connectable human, seconds (§5.5: 12 s). */
  readonly horizonSeconds?: number;
}

/**
 * Look-ahead (§5.5 4b): `floor(α · (ready + busy · h / E[H]) / p_h − lines in flight)`: volunteers free now plus
 * those expected to free up within one dial's horizon, scaled by the dials it takes to find them a human.
 */
export function lookAheadPolicy(options: LookAheadOptions): PacingPolicy {
  const horizon = options.horizonSeconds ?? 12;
  const freedPerBusy = horizon / options.meanHandleSeconds;
  return (snapshot) => {
    const { ready, busy } = countVolunteers(snapshot);
    const wanted = (options.alpha * (ready + busy * freedPerBusy)) / options.humanRate - snapshot.lines.length;
    return predictiveDials(snapshot, wanted, options.humanRate);
  };
}
