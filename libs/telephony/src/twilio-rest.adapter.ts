import twilio from 'twilio';
import type { AppConfig } from '@app/config';
import {
  type BrowserVoiceAccess,
  type CarrierMessage,
  type PlaceCallRequest,
  type PlacedCall,
  type SendMessageRequest,
  type SentMessage,
  TelephonyPort,
  type TelephonyProvider,
} from './telephony.port';
import { type LineType, lineTypeFromLookup } from './line-type.util';
import { TelephonyRequestError } from './telephony-request.error';

const BROWSER_TOKEN_SECONDS = 3600;

/**
 * Twilio error codes that no retry can cure: the number, the caller id or the account is wrong, or
 * (texts) the recipient opted out (21610), cannot receive texts (21614) or the body is refused.
 */
const PERMANENT_ERROR_CODES = new Set([
  20003, 20404, 21201, 21205, 21210, 21211, 21212, 21213, 21214, 21215, 21216, 21217, 21219, 21220, 21408, 21602, 21606, 21610, 21612, 21614, 21617, 21623,
]);

/**
 * Places and ends calls through the `twilio` SDK. With `apiBaseUrl` set the same SDK talks to the
 * carrier simulator, so demo, tests and production share one code path down to the HTTP request.
 */
export class TwilioRestAdapter extends TelephonyPort {
  readonly provider: TelephonyProvider;
  private readonly client: twilio.Twilio;
  private readonly authToken: string;
  private readonly browserVoice: AppConfig['telephony']['browserVoice'];
  private readonly accountSid: string;

  constructor(telephony: AppConfig['telephony']) {
    super();
    this.provider = telephony.provider;
    this.accountSid = telephony.accountSid;
    this.authToken = telephony.authToken;
    this.browserVoice = telephony.browserVoice;
    // Keep-alive: a phone bank places calls steadily and each new TLS handshake would add latency.
    this.client = twilio(telephony.accountSid, telephony.authToken, { autoRetry: false, keepAlive: true, timeout: 10_000 });
    if (telephony.apiBaseUrl !== undefined) {
      this.client.api.baseUrl = telephony.apiBaseUrl;
      // Lookup lives on its own Twilio host (lookups.twilio.com): without this it would leave the simulator.
      this.client.lookups.baseUrl = telephony.apiBaseUrl;
    }
  }

  async placeCall(request: PlaceCallRequest): Promise<PlacedCall> {
    try {
      const call = await this.client.calls.create({
        to: request.to,
        from: request.from,
        ...('answerUrl' in request ? { url: request.answerUrl, method: 'POST' } : { twiml: request.twiml }),
        statusCallback: request.statusCallbackUrl,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        timeout: request.ringTimeoutSeconds,
        ...(request.machineDetection ? { machineDetection: 'Enable' } : {}),
      });
      return { providerCallSid: call.sid, status: call.status };
    } catch (error) {
      throw toTelephonyError(error, 'placing a call');
    }
  }

  async endCall(providerCallSid: string): Promise<void> {
    try {
      const call = await this.client.calls(providerCallSid).fetch();
      if (call.status === 'queued' || call.status === 'ringing') await this.client.calls(providerCallSid).update({ status: 'canceled' });
      else if (call.status === 'in-progress') await this.client.calls(providerCallSid).update({ status: 'completed' });
    } catch (error) {
      throw toTelephonyError(error, 'ending a call');
    }
  }

  async lookupLineType(phone: string): Promise<LineType> {
    let lookup: { valid: boolean; lineTypeIntelligence: unknown };
    try {
      lookup = await this.client.lookups.v2.phoneNumbers(phone).fetch({ fields: 'line_type_intelligence' });
    } catch (error) {
      throw toTelephonyError(error, 'looking up a line type');
    }
    // Messages name no number: callers log them.
    if (!lookup.valid) throw new TelephonyRequestError('The carrier says the number is not valid', true, 'invalid-number', undefined);
    const intelligence = lookup.lineTypeIntelligence as { readonly type?: string | null; readonly error_code?: number | null } | null;
    if (intelligence === null || typeof intelligence !== 'object') {
      throw new TelephonyRequestError('The carrier answered without line type intelligence', false, 'no-line-type', undefined);
    }
    if (intelligence.error_code !== null && intelligence.error_code !== undefined) {
      throw new TelephonyRequestError(
        `The carrier could not tell the line type (error ${intelligence.error_code})`,
        false,
        String(intelligence.error_code),
        undefined,
      );
    }
    return lineTypeFromLookup(intelligence.type);
  }

  async sendMessage(request: SendMessageRequest): Promise<SentMessage> {
    try {
      const message = await this.client.messages.create({
        to: request.to,
        ...('number' in request.from ? { from: request.from.number } : { messagingServiceSid: request.from.messagingServiceSid }),
        body: request.body,
        statusCallback: request.statusCallbackUrl,
        validityPeriod: request.validityPeriodSeconds,
      });
      return { providerMessageSid: message.sid, status: message.status, from: message.from ?? null };
    } catch (error) {
      throw toTelephonyError(error, 'sending a text');
    }
  }

  async recentMessagesTo(to: string, limit: number): Promise<CarrierMessage[]> {
    try {
      const messages = await this.client.messages.list({ to, limit, pageSize: limit });
      return messages.map((message) => ({
        providerMessageSid: message.sid,
        from: message.from ?? null,
        body: message.body,
        status: message.status,
        direction: message.direction,
        createdAt: message.dateCreated,
      }));
    } catch (error) {
      throw toTelephonyError(error, 'listing texts');
    }
  }

  isSignatureValid(url: string, parameters: Readonly<Record<string, string>>, signature: string | undefined): boolean {
    if (signature === undefined || signature === '') return false;
    return twilio.validateRequest(this.authToken, signature, url, { ...parameters });
  }

  browserVoiceAccess(identity: string): BrowserVoiceAccess {
    if (this.browserVoice === undefined) return { kind: 'simulated', identity };
    const token = new twilio.jwt.AccessToken(this.accountSid, this.browserVoice.apiKeySid, this.browserVoice.apiKeySecret, {
      identity,
      ttl: BROWSER_TOKEN_SECONDS,
    });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: this.browserVoice.twimlAppSid, incomingAllow: false }));
    return { kind: 'twilio-voice-sdk', token: token.toJwt(), identity, expiresInSeconds: BROWSER_TOKEN_SECONDS };
  }
}

function toTelephonyError(error: unknown, doing: string): TelephonyRequestError {
  if (error instanceof twilio.RestException) {
    // A rate limit (429, 20429) always passes: the request was refused, not judged.
    const permanent =
      error.status === 429 ? false : error.code !== undefined ? PERMANENT_ERROR_CODES.has(error.code) : error.status >= 400 && error.status < 500;
    return new TelephonyRequestError(`The carrier refused ${doing}: ${error.message}`, permanent, error.code?.toString(), error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelephonyRequestError(`The carrier could not be reached while ${doing}: ${message}`, false, undefined, undefined);
}
