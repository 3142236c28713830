import { callTimingExpectations } from './call-timing-expectations.util';
import type { SimulationParameters } from './simulation-parameters';

/** The caps of §5.5 item 1, in conversations per volunteer-hour; `bound` is their minimum. */
export interface OracleBound {
  readonly bound: number;
  /** 3600 / E[H], E[H] = talk mean + wrap-up mean: volunteers never idle. */
  readonly handleCap: number;
  /** 3600 · CPS · p_h / N. */
  readonly callsPerSecondCap: number;
  /** Little's law on lines: 3600 · L · p_h / (N · E[line hold per dial]), L = max lines per volunteer · N. */
  readonly lineCap: number;
  /** Leads × p_h ÷ (N × hours); unlimited lists give Infinity. */
  readonly leadCap: number;
  /**
   * With a line-type split: landline (and consented) leads without limit, plus mobile leads only as fast as
   * clickers approve them (3600 · c · p_h / N). Infinity when landlines alone are unlimited or there are no clickers.
   */
  readonly clickerCap: number;
}

export function oracleBound(parameters: SimulationParameters): OracleBound {
  const { outcomes, volunteers } = parameters;
  const humanRate = outcomes.human;
  const handleCap = 3600 / (parameters.talk.mean + parameters.wrapUp.mean);
  const callsPerSecondCap = (3600 * parameters.callsPerSecond * humanRate) / volunteers;
  const lineCap = (3600 * parameters.settings.maxLinesPerVolunteer * humanRate) / callTimingExpectations(parameters).lineHoldPerDial;
  const hours = parameters.hours * parameters.shifts;
  const leadsPerVolunteerHour = parameters.leads.count === null ? Infinity : parameters.leads.count / (volunteers * hours);
  const leadCap = leadsPerVolunteerHour * humanRate;
  const { lineTypes, consentedShare } = parameters.leads;
  const typeTotal = lineTypes.landline + lineTypes.mobile + lineTypes.unknown;
  const manualShare = typeTotal > 0 ? ((lineTypes.mobile + lineTypes.unknown) / typeTotal) * (1 - consentedShare) : 0;
  let clickerCap = Infinity;
  if (manualShare > 0 && parameters.mode === 'predictive') {
    const automaticCap = manualShare >= 1 ? 0 : leadsPerVolunteerHour * (1 - manualShare) * humanRate;
    const clicks = parameters.clickers ? (3600 * parameters.clickers.clicksPerSecond * humanRate) / volunteers : 0;
    clickerCap = automaticCap + Math.min(clicks, leadsPerVolunteerHour * manualShare * humanRate);
  }
  return { bound: Math.min(handleCap, callsPerSecondCap, lineCap, leadCap, clickerCap), handleCap, callsPerSecondCap, lineCap, leadCap, clickerCap };
}
