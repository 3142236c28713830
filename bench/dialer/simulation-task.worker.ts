import { decide } from '@app/dialer';
import {
  applyScenarios,
  lookAheadPolicy,
  PARAMETER_SETS,
  powerOneToOnePolicy,
  simulatePhoneBank,
  type ParameterSetName,
  type PacingPolicy,
  type SimulationParameters,
  type StressScenarioName,
} from '@app/dialer/simulation';

export type BenchPolicy = 'power' | 'predictive' | 'look-ahead';

export interface SimulationTask {
  readonly set: ParameterSetName;
  readonly policy: BenchPolicy;
  readonly scenario: StressScenarioName | 'base';
  readonly seed: number;
  /** Measured hours per shift instead of the set's own (quick mode). */
  readonly hours: number | null;
  readonly shifts: number | null;
}

export interface SimulationFigures {
  readonly ratioToOracle: number;
  readonly conversationsPerVolunteerHour: number;
  readonly utilization: number;
  readonly abandonRate: number;
  /** Ground truth less the humans detection hung up on as machines: what the pacing itself abandoned. */
  readonly pacerAbandonRate: number;
  readonly observedAbandonRate: number;
  readonly oracleBound: number;
  readonly dialsPerConversation: number;
  readonly wrongWindowDials: number;
  readonly shortRings: number;
  readonly automaticMobileDials: number;
  readonly liveAnswers: number;
  readonly wallSeconds: number;
}

/** The §5.6 look-ahead's α, tuned in hindsight with the true parameters (tick-only decisions, as there). */
const LOOK_AHEAD_ALPHA: Readonly<Record<ParameterSetName, number>> = { S5: 0.3, M20: 0.55, L100: 1.05 };

function policyFor(task: SimulationTask, parameters: SimulationParameters): PacingPolicy {
  switch (task.policy) {
    case 'power':
      return powerOneToOnePolicy();
    case 'predictive':
      return decide;
    case 'look-ahead':
      return lookAheadPolicy({
        alpha: LOOK_AHEAD_ALPHA[task.set],
        humanRate: parameters.outcomes.human,
        meanHandleSeconds: parameters.talk.mean + parameters.wrapUp.mean,
      });
  }
}

/** One simulated run, in a worker thread of the bench's pool. */
export default function runSimulationTask(task: SimulationTask): SimulationFigures {
  let parameters: SimulationParameters = { ...PARAMETER_SETS[task.set], seed: task.seed, mode: task.policy === 'power' ? 'power' : 'predictive' };
  if (task.scenario !== 'base') parameters = applyScenarios(parameters, [task.scenario]);
  if (task.hours !== null) parameters = { ...parameters, hours: task.hours };
  if (task.shifts !== null && parameters.shifts > 1) parameters = { ...parameters, shifts: task.shifts };
  if (task.policy === 'look-ahead') parameters = { ...parameters, decideOnEvents: false };
  const started = performance.now();
  const result = simulatePhoneBank(parameters, policyFor(task, parameters));
  return {
    ratioToOracle: result.ratioToOracle,
    conversationsPerVolunteerHour: result.conversationsPerVolunteerHour,
    utilization: result.utilization,
    abandonRate: result.abandonRate,
    pacerAbandonRate: result.liveAnswers > 0 ? (result.abandoned - result.humansHungUpAsMachines) / result.liveAnswers : 0,
    observedAbandonRate: result.observedAbandonRate,
    oracleBound: result.oracleBound,
    dialsPerConversation: result.dialsPerConversation,
    wrongWindowDials: result.wrongWindowDials,
    shortRings: result.shortRings,
    automaticMobileDials: result.automaticMobileDials,
    liveAnswers: result.liveAnswers,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
