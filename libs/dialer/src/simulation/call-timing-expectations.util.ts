import { LogNormalDistribution } from './log-normal-distribution';
import type { SimulationParameters } from './simulation-parameters';

/** Expected seconds of each kind of dial under the §5.3 model, as the simulator draws them (no queueing, no hold). */
export interface CallTimingExpectations {
  /** Start to human verdict: E[R_h | R_h < T] + E[G] + AMD end. */
  readonly humanToVerdict: number;
  /** E[min(R_m, T)] + P(R_m < T) · machine verdict time: a machine picking up after T is a no-answer. */
  readonly machineLine: number;
  readonly failedLine: number;
  readonly noAnswerLine: number;
  /** Outcome-weighted seconds a dial holds a line before a volunteer takes it (Little's law line cap). */
  readonly lineHoldPerDial: number;
  readonly noAnswerShare: number;
}

export function callTimingExpectations(parameters: SimulationParameters): CallTimingExpectations {
  const { outcomes, amd } = parameters;
  const timeout = parameters.ringTimeoutSeconds;
  const human = new LogNormalDistribution(parameters.humanRing.mean, parameters.humanRing.sd).partialMoments(timeout);
  const machine = new LogNormalDistribution(parameters.machineRing.mean, parameters.machineRing.sd).partialMoments(timeout);
  const greeting = (parameters.greetingSeconds.min + parameters.greetingSeconds.max) / 2;
  const humanToVerdict = human.partialMean / human.probabilityBelow + greeting + amd.humanEndSeconds;
  const machineLine = machine.partialMean + timeout * (1 - machine.probabilityBelow) + machine.probabilityBelow * amd.machineSeconds;
  const failedLine = (parameters.failSeconds.min + parameters.failSeconds.max) / 2;
  const noAnswerShare = Math.max(0, 1 - outcomes.human - outcomes.machine - outcomes.failed);
  const lineHoldPerDial = outcomes.human * humanToVerdict + outcomes.machine * machineLine + outcomes.failed * failedLine + noAnswerShare * timeout;
  return { humanToVerdict, machineLine, failedLine, noAnswerLine: timeout, lineHoldPerDial, noAnswerShare };
}
