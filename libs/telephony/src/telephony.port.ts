import type { LineType } from './line-type.util';

export type TelephonyProvider = 'twilio' | 'carrier-sim';

interface PlaceCallFields {
  readonly to: string;
  readonly from: string;
  /** Where the carrier posts status callbacks (signed). */
  readonly statusCallbackUrl: string;
  readonly machineDetection: boolean;
  readonly ringTimeoutSeconds: number;
}

/**
 * What the answered call does: fixed TwiML (preview calling: join the volunteer who placed it), or
 * a URL the carrier asks once answered, with who answered (power and predictive: the volunteer is
 * chosen at that moment).
 */
export type PlaceCallRequest = PlaceCallFields & ({ readonly twiml: string } | { readonly answerUrl: string });

export interface PlacedCall {
  readonly providerCallSid: string;
  readonly status: string;
}

/** What a browser needs to join calls: Twilio's Voice SDK token, or the simulator's stand-in. */
export type BrowserVoiceAccess =
  | { readonly kind: 'twilio-voice-sdk'; readonly token: string; readonly identity: string; readonly expiresInSeconds: number }
  | { readonly kind: 'simulated'; readonly identity: string };

/**
 * The carrier, as the rest of Crossroads sees it. Two adapters implement it with the same
 * `twilio` SDK: one talks to Twilio, the other to the local carrier simulator.
 */
export abstract class TelephonyPort {
  abstract readonly provider: TelephonyProvider;
  /** Asks the carrier to place a call; throws TelephonyRequestError. */
  abstract placeCall(request: PlaceCallRequest): Promise<PlacedCall>;
  /** Ends a call in progress, or cancels one still queued or ringing. */
  abstract endCall(providerCallSid: string): Promise<void>;
  /** Whether a webhook request carries the carrier's signature over exactly this URL and these parameters. */
  abstract isSignatureValid(url: string, parameters: Readonly<Record<string, string>>, signature: string | undefined): boolean;
  abstract browserVoiceAccess(identity: string): BrowserVoiceAccess;
  /**
   * What kind of line a number is (Twilio Lookup's line type intelligence, mapped as line-type.util
   * says); throws TelephonyRequestError when the carrier could not tell (an invalid number, a lookup
   * error, no answer). Each call is a paid lookup: ask once per number.
   */
  abstract lookupLineType(phone: string): Promise<LineType>;
}
