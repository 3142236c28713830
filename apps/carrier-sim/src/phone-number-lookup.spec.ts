import twilio from 'twilio';
import { type CarrierSimulator, createCarrierSimulator } from './carrier-simulator';
import { LINE_TYPES } from './scenario';
import { SILENT_LOG } from './simulator-log';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';

/** Valid North American numbers (libphonenumber accepts 555-01xx), so Lookup reports them valid. */
const NUMBERS = Array.from({ length: 40 }, (_, index) => `+1415555${String(100 + index).padStart(4, '0')}`);

function lookupsClient(url: string, authToken = AUTH_TOKEN): twilio.Twilio {
  const client = twilio(ACCOUNT_SID, authToken);
  // What the platform must set besides client.api.baseUrl: Lookup lives on another Twilio domain.
  client.lookups.baseUrl = url;
  return client;
}

describe('carrier simulator Lookup v2 (driven by the twilio SDK)', () => {
  let simulator: CarrierSimulator;
  let url: string;
  let client: twilio.Twilio;

  beforeAll(async () => {
    simulator = createCarrierSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, callsPerSecond: 1, scenario: { seed: 3 }, log: SILENT_LOG });
    url = (await simulator.listen(0)).url;
    client = lookupsClient(url);
  });

  afterAll(() => simulator.close());

  const lineTypeOf = async (phoneNumber: string): Promise<string | undefined> =>
    (await client.lookups.v2.phoneNumbers(phoneNumber).fetch({ fields: 'line_type_intelligence' })).lineTypeIntelligence?.type;

  it('should answer line type intelligence in Twilio’s shape through client.lookups', async () => {
    simulator.setScenario({ seed: 3, numbers: { [NUMBERS[0]]: { lineType: 'landline' } } });
    const lookup = await client.lookups.v2.phoneNumbers(NUMBERS[0]).fetch({ fields: 'line_type_intelligence' });
    expect(lookup).toMatchObject({
      phoneNumber: NUMBERS[0],
      valid: true,
      validationErrors: null,
      callingCountryCode: '1',
      countryCode: 'US',
      nationalFormat: '(415) 555-0100',
      callerName: null,
      simSwap: null,
      lineStatus: null,
      smsPumpingRisk: null,
    });
    expect(lookup.lineTypeIntelligence).toEqual({
      type: 'landline',
      carrierName: expect.any(String),
      mobileCountryCode: null,
      mobileNetworkCode: null,
      errorCode: null,
    });

    const raw = await fetch(`${url}/v2/PhoneNumbers/${encodeURIComponent(NUMBERS[1])}?Fields=line_type_intelligence`, {
      headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
    });
    const body = (await raw.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'call_forwarding',
        'caller_name',
        'calling_country_code',
        'country_code',
        'identity_match',
        'line_status',
        'line_type_intelligence',
        'national_format',
        'phone_number',
        'phone_number_quality_score',
        'pre_fill',
        'reassigned_number',
        'sim_swap',
        'sms_pumping_risk',
        'url',
        'valid',
        'validation_errors',
      ].sort(),
    );
    expect(Object.keys(body.line_type_intelligence as object).sort()).toEqual([
      'carrier_name',
      'error_code',
      'mobile_country_code',
      'mobile_network_code',
      'type',
    ]);
    expect((await client.lookups.v2.phoneNumbers(NUMBERS[1]).fetch()).lineTypeIntelligence).toBeNull();
  });

  it('should draw line types from the scenario’s shares, the same for a number every time', async () => {
    simulator.setScenario({ seed: 3, lineTypes: { landline: 1, mobile: 1 } });
    const first = await Promise.all(NUMBERS.map(lineTypeOf));
    expect(await Promise.all(NUMBERS.map(lineTypeOf))).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['landline', 'mobile']));
    const landlines = first.filter((type) => type === 'landline').length;
    expect(landlines).toBeGreaterThan(8);
    expect(landlines).toBeLessThan(32);

    simulator.setScenario({ seed: 3, lineTypes: { nonFixedVoip: 1 } });
    const voip = await client.lookups.v2.phoneNumbers(NUMBERS[2]).fetch({ fields: 'line_type_intelligence' });
    expect(voip.lineTypeIntelligence).toMatchObject({ type: 'nonFixedVoip', mobileCountryCode: expect.any(String) });
    simulator.setScenario({ seed: 4, lineTypes: { landline: 1, mobile: 1 } });
    expect(await Promise.all(NUMBERS.map(lineTypeOf))).not.toEqual(first);
    for (const type of await Promise.all(NUMBERS.map(lineTypeOf))) expect(LINE_TYPES).toContain(type);
  });

  it('should report numbers that are not valid, and refuse wrong credentials with 20003', async () => {
    simulator.setScenario({ seed: 3 });
    const invalid = await client.lookups.v2.phoneNumbers('+141599299600').fetch();
    expect(invalid).toMatchObject({ valid: false, validationErrors: ['TOO_LONG'], countryCode: null, nationalFormat: null });
    const national = await client.lookups.v2.phoneNumbers('4155550123').fetch({ countryCode: 'US' });
    expect(national).toMatchObject({ phoneNumber: '+14155550123', valid: true });
    await expect(lookupsClient(url, 'wrong-token').lookups.v2.phoneNumbers(NUMBERS[0]).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});
