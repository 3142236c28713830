import type { PacingSettings } from './pacing-snapshot';

/** A campaign's pacing unless its lead changes it. */
export const DEFAULT_PACING_SETTINGS: Omit<PacingSettings, 'mode' | 'callsPerSecond'> = {
  powerLinesPerVolunteer: 1,
  // A large bank at an 8% answer rate needs about four lines per volunteer (dialer-pacing §1.3); eight leaves room.
  maxLinesPerVolunteer: 8,
  abandonRateLimit: 0.03,
  // Half a point under the law: the controller's feedback keeps a campaign's rate within a few tenths of its aim.
  abandonRateTarget: 0.025,
};
