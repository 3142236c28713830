import { createHmac } from 'node:crypto';
import type { AppConfig } from '@app/config';
import { TelephonyRequestError } from './telephony-request.error';
import { TwilioRestAdapter } from './twilio-rest.adapter';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const BROWSER_VOICE = { apiKeySid: `SK${'1'.repeat(32)}`, apiKeySecret: 'key-secret-for-tests', twimlAppSid: `AP${'2'.repeat(32)}` };

function adapter(overrides: Partial<AppConfig['telephony']> = {}): TwilioRestAdapter {
  return new TwilioRestAdapter({
    provider: 'carrier-sim',
    accountSid: ACCOUNT_SID,
    authToken: '12345',
    apiBaseUrl: 'http://127.0.0.1:1',
    webhookBaseUrl: 'https://mycompany.com',
    browserVoice: undefined,
    ...overrides,
  });
}

/** Twilio's own golden vector (twilio-node spec/validation.spec.js). */
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMETERS: Readonly<Record<string, string>> = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('TwilioRestAdapter', () => {
  describe('isSignatureValid', () => {
    it('should accept the signature Twilio computes over the URL and the parameters', () => {
      expect(adapter().isSignatureValid(URL, PARAMETERS, SIGNATURE)).toBe(true);
    });

    it('should accept the same signature whatever the order of the parameters', () => {
      const reversed = Object.fromEntries(Object.entries(PARAMETERS).reverse());

      expect(adapter().isSignatureValid(URL, reversed, SIGNATURE)).toBe(true);
    });

    it.each([
      ['a changed value', { ...PARAMETERS, Digits: '1235' }],
      ['an added parameter', { ...PARAMETERS, AnsweredBy: 'human' }],
      ['a removed parameter', { CallSid: PARAMETERS.CallSid, Caller: PARAMETERS.Caller, Digits: PARAMETERS.Digits, From: PARAMETERS.From }],
    ])('should refuse the signature over parameters with %s', (_, parameters) => {
      expect(adapter().isSignatureValid(URL, parameters, SIGNATURE)).toBe(false);
    });

    it.each([
      ['another path', 'https://mycompany.com/other.php?foo=1&bar=2'],
      ['another query', 'https://mycompany.com/myapp.php?foo=1&bar=3'],
      ['another host', 'https://attacker.example/myapp.php?foo=1&bar=2'],
    ])('should refuse a signature made for %s', (_, url) => {
      expect(adapter().isSignatureValid(url, PARAMETERS, SIGNATURE)).toBe(false);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
    ])('should refuse a request whose signature is %s', (_, signature) => {
      expect(adapter().isSignatureValid(URL, PARAMETERS, signature)).toBe(false);
    });

    it('should refuse the signature when the auth token is another', () => {
      expect(adapter({ authToken: '54321' }).isSignatureValid(URL, PARAMETERS, SIGNATURE)).toBe(false);
    });

    it('should refuse a signature that differs in one character', () => {
      expect(adapter().isSignatureValid(URL, PARAMETERS, SIGNATURE.replace('R', 'r'))).toBe(false);
    });
  });

  describe('browserVoiceAccess', () => {
    it('should give the simulator’s stand-in when no browser voice is configured', () => {
      expect(adapter().browserVoiceAccess('volunteer-7')).toStrictEqual({ kind: 'simulated', identity: 'volunteer-7' });
    });

    it('should give an hour-long Voice SDK token signed with the API key, granting calls through the TwiML app', () => {
      const access = adapter({ browserVoice: BROWSER_VOICE }).browserVoiceAccess('volunteer-7');

      expect(access).toMatchObject({ kind: 'twilio-voice-sdk', identity: 'volunteer-7', expiresInSeconds: 3600 });
      if (access.kind !== 'twilio-voice-sdk') throw new Error('expected a Voice SDK token');
      const parts = access.token.split('.');
      expect(parts).toHaveLength(3);
      const [header, payload, signature] = parts;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(claims).toMatchObject({
        iss: BROWSER_VOICE.apiKeySid,
        sub: ACCOUNT_SID,
        grants: { identity: 'volunteer-7', voice: { outgoing: { application_sid: BROWSER_VOICE.twimlAppSid } } },
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
      expect(createHmac('sha256', BROWSER_VOICE.apiKeySecret).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
    });

    it('should not let the browser receive calls', () => {
      const access = adapter({ browserVoice: BROWSER_VOICE }).browserVoiceAccess('volunteer-7');
      if (access.kind !== 'twilio-voice-sdk') throw new Error('expected a Voice SDK token');

      const claims = JSON.parse(Buffer.from(access.token.split('.')[1], 'base64url').toString('utf8')) as {
        grants: { voice: { incoming?: { allow: boolean } } };
      };

      expect(claims.grants.voice.incoming?.allow ?? false).toBe(false);
    });
  });

  describe('when the carrier cannot be reached', () => {
    it('should fail placing a call with an error that a retry may cure and no HTTP status', async () => {
      const placing = adapter().placeCall({
        to: '+19195550123',
        from: '+17045550199',
        twiml: '<Response/>',
        statusCallbackUrl: 'https://mycompany.com/telephony/calls/status',
        machineDetection: false,
        ringTimeoutSeconds: 20,
      });

      const error: unknown = await placing.catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TelephonyRequestError);
      expect(error).toMatchObject({ permanent: false, status: undefined, code: undefined });
      expect((error as Error).message).toContain('placing a call');
    });

    it('should fail ending a call with an error that a retry may cure', async () => {
      const error: unknown = await adapter()
        .endCall('CA1234567890ABCDE')
        .catch((reason: unknown) => reason);

      expect(error).toBeInstanceOf(TelephonyRequestError);
      expect(error).toMatchObject({ permanent: false, status: undefined });
    });
  });
});
