import type { PacingDecision, PacingSnapshot } from './pacing-snapshot';

const NO_ESTIMATE = { humanRate: 0, expectedSpareVolunteers: 0, riskAllowance: 0 } as const;

/**
 * Power dialing: `powerLinesPerVolunteer` lines for each ready volunteer. The first line of each is
 * started by that volunteer being ready (their own action, so any line type may be dialed); the
 * others are automatic and so only reach landlines and consented numbers. Extra lines can reach
 * more people than there are volunteers, and the law counts those abandoned whatever the mode: they
 * are dialed only while the campaign's 30-day record, as if the next live answer were abandoned,
 * stays at or under its target; otherwise power n:1 dials 1:1 (which abandons nobody) until it heals.
 */
export function powerDecision(snapshot: PacingSnapshot): PacingDecision {
  const ready = snapshot.volunteers.filter((volunteer) => volunteer.state === 'ready').length;
  const lines = snapshot.lines.length;
  const { abandonment30Days: record, settings } = snapshot;
  const extrasAllowed = (record.abandoned + 1) / (record.liveAnswers + 1) <= settings.abandonRateTarget;
  const configured = Math.max(1, Math.floor(settings.powerLinesPerVolunteer));
  const perVolunteer = extrasAllowed ? configured : 1;
  const wanted = Math.max(0, ready * perVolunteer - lines);
  const { automatic, manualOnly } = snapshot.leads;
  const volunteerInitiated = Math.min(wanted, Math.max(0, ready - lines), automatic + manualOnly);
  // The volunteers' own dials may have used automatic leads; only what is surely left is dialed automatically.
  const automaticLeft = Math.max(0, automatic - Math.max(0, volunteerInitiated - manualOnly));
  const extra = Math.min(wanted - volunteerInitiated, automaticLeft);
  const basis =
    ready === 0 ? 'no-volunteers' : wanted > 0 && volunteerInitiated + extra === 0 ? 'no-leads' : configured > perVolunteer ? 'power-held' : 'power';
  return { automatic: extra, approved: 0, volunteerInitiated, basis, estimate: NO_ESTIMATE };
}
