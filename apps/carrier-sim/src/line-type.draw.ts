import { createHash } from 'node:crypto';
import type { LineType, Scenario } from './scenario';

/** What Lookup's line_type_intelligence says about a number's carrier. */
export interface CarrierInformation {
  readonly carrierName: string | null;
  readonly mobileCountryCode: string | null;
  readonly mobileNetworkCode: string | null;
}

// Shaped like Lookup's answers; which fields Twilio leaves null for each type is unverified beyond "personal … unknown carry none".
const CARRIERS: Readonly<Partial<Record<LineType, readonly CarrierInformation[]>>> = {
  mobile: [
    { carrierName: 'T-Mobile USA, Inc.', mobileCountryCode: '310', mobileNetworkCode: '260' },
    { carrierName: 'Verizon Wireless', mobileCountryCode: '311', mobileNetworkCode: '480' },
    { carrierName: 'AT&T Wireless', mobileCountryCode: '310', mobileNetworkCode: '410' },
  ],
  landline: [
    { carrierName: 'Verizon Business', mobileCountryCode: null, mobileNetworkCode: null },
    { carrierName: 'Level 3 Communications, LLC', mobileCountryCode: null, mobileNetworkCode: null },
  ],
  fixedVoip: [{ carrierName: 'Comcast IP Phone, LLC', mobileCountryCode: null, mobileNetworkCode: null }],
  nonFixedVoip: [{ carrierName: 'Twilio - SMS/MMS-SVR', mobileCountryCode: '240', mobileNetworkCode: '38' }],
  tollFree: [{ carrierName: 'Toll-free service (simulated)', mobileCountryCode: null, mobileNetworkCode: null }],
};

const NO_CARRIER: CarrierInformation = { carrierName: null, mobileCountryCode: null, mobileNetworkCode: null };

/**
 * A number's line type and carrier: the scenario's override for it, else a draw from `lineTypes`
 * that depends only on the seed and the number, so every lookup of a number agrees whatever the
 * order of lookups and calls.
 */
export function drawLineType(scenario: Scenario, phoneNumber: string): { readonly type: LineType; readonly carrier: CarrierInformation } {
  const digest = createHash('sha256').update(`${scenario.seed}:${phoneNumber}`).digest();
  const point = digest.readUIntBE(0, 6) / 2 ** 48;
  const type = scenario.numbers[phoneNumber]?.lineType ?? weightedPick(scenario.lineTypes, point);
  const carriers = CARRIERS[type] ?? [];
  const carrier = carriers.length === 0 ? NO_CARRIER : carriers[digest.readUInt16BE(6) % carriers.length];
  return { type, carrier };
}

function weightedPick(weights: Readonly<Record<LineType, number>>, point: number): LineType {
  const entries = Object.entries(weights) as Array<[LineType, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = point * total;
  for (const [type, weight] of entries) {
    if (remaining < weight) return type;
    remaining -= weight;
  }
  return entries.filter(([, weight]) => weight > 0).at(-1)?.[0] ?? 'unknown';
}
