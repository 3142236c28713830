import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { drawLineType } from './line-type.draw';
import type { Scenario } from './scenario';

/** Lookup v2 data packages (the `Fields` parameter); only line_type_intelligence is simulated, the others answer null. */
const LOOKUP_PACKAGES = [
  'caller_name',
  'sim_swap',
  'call_forwarding',
  'line_status',
  'line_type_intelligence',
  'identity_match',
  'reassigned_number',
  'sms_pumping_risk',
  'phone_number_quality_score',
  'pre_fill',
] as const;

export interface PhoneNumberLookupRequest {
  /** As given in the path: E.164, or national format read with `countryCode` (default US). */
  readonly phoneNumber: string;
  readonly fields: readonly string[];
  readonly countryCode: string | null;
  /** The simulator's own base URL, for the resource's `url`. */
  readonly baseUrl: string;
}

/**
 * Lookup v2's phone number resource (`GET /v2/PhoneNumbers/{PhoneNumber}`), shaped as
 * twilio_lookups_v2.json's LookupResponse: validity and formats from libphonenumber, and with
 * `Fields=line_type_intelligence` the number's line type and carrier as the scenario draws them.
 */
export function toPhoneNumberLookupResource(scenario: Scenario, request: PhoneNumberLookupRequest): Record<string, unknown> {
  const country = (request.countryCode ?? 'US').toUpperCase() as CountryCode;
  const parsed = parsePhoneNumberFromString(request.phoneNumber, country);
  const e164 = parsed?.number ?? request.phoneNumber;
  const valid = parsed?.isValid() ?? false;
  const packages = Object.fromEntries(LOOKUP_PACKAGES.map((name) => [name, null])) as Record<(typeof LOOKUP_PACKAGES)[number], unknown>;
  if (request.fields.includes('line_type_intelligence') && parsed !== undefined) {
    const { type, carrier } = drawLineType(scenario, e164);
    packages.line_type_intelligence = {
      error_code: null,
      mobile_country_code: carrier.mobileCountryCode,
      mobile_network_code: carrier.mobileNetworkCode,
      carrier_name: carrier.carrierName,
      type,
    };
  }
  return {
    calling_country_code: valid && parsed ? parsed.countryCallingCode : null,
    country_code: valid ? (parsed?.country ?? null) : null,
    phone_number: e164,
    national_format: valid ? (parsed?.formatNational() ?? null) : null,
    valid,
    validation_errors: valid ? null : [validationErrorOf(request.phoneNumber, country)],
    ...packages,
    url: `${request.baseUrl}/v2/PhoneNumbers/${e164}`,
  };
}

function validationErrorOf(phoneNumber: string, country: CountryCode): string {
  if (!/\d/.test(phoneNumber)) return 'NOT_A_NUMBER';
  const length = validatePhoneNumberLength(phoneNumber, country);
  if (length === 'INVALID_COUNTRY') return 'INVALID_COUNTRY_CODE';
  if (length === 'NOT_A_NUMBER') return 'NOT_A_NUMBER';
  return length ?? 'INVALID_BUT_POSSIBLE';
}
