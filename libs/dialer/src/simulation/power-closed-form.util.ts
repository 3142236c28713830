import { callTimingExpectations } from './call-timing-expectations.util';
import type { SimulationParameters } from './simulation-parameters';

export interface PowerClosedForm {
  /** Volunteer seconds idle per conversation. */
  readonly idleSecondsPerConversation: number;
  readonly utilization: number;
  readonly conversationsPerVolunteerHour: number;
}

/**
 * Power 1:1 (§5.5 item 2): each volunteer waits through every attempt of a line reserved for them, so
 * idle/conv = [p_m·E[D_m] + p_f·E[D_f] + p_n·T] / p_h + E[D_h] with D_h = R_h + G + AMD end + b.
 * The machine term counts a machine picking up after the timeout as the no-answer it is.
 */
export function powerOneToOneClosedForm(parameters: SimulationParameters): PowerClosedForm {
  const { outcomes } = parameters;
  const timings = callTimingExpectations(parameters);
  const wastedPerDial = outcomes.machine * timings.machineLine + outcomes.failed * timings.failedLine + timings.noAnswerShare * timings.noAnswerLine;
  const idleSecondsPerConversation = wastedPerDial / outcomes.human + timings.humanToVerdict + parameters.bridgeSeconds;
  const handle = parameters.talk.mean + parameters.wrapUp.mean;
  return {
    idleSecondsPerConversation,
    utilization: handle / (handle + idleSecondsPerConversation),
    conversationsPerVolunteerHour: 3600 / (handle + idleSecondsPerConversation),
  };
}
