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

/** A text to send: from one of our numbers, or through a Messaging Service that picks the number. */
export interface SendMessageRequest {
  readonly to: string;
  readonly from: { readonly number: string } | { readonly messagingServiceSid: string };
  readonly body: string;
  /** Where the carrier posts delivery status callbacks (signed). */
  readonly statusCallbackUrl: string;
  /** Seconds the carrier may hold the text in its queue; past it the text fails instead of arriving late. */
  readonly validityPeriodSeconds: number;
}

export interface SentMessage {
  readonly providerMessageSid: string;
  readonly status: string;
  /** The number it goes out from, when the carrier already knows it. */
  readonly from: string | null;
}

/** A text the carrier holds for a recipient, as its list of messages reports it. */
export interface CarrierMessage {
  readonly providerMessageSid: string;
  readonly from: string | null;
  readonly body: string;
  readonly status: string;
  readonly direction: string;
  readonly createdAt: Date;
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
  /** Asks the carrier to send a text; throws TelephonyRequestError (`permanent` when no retry can help). */
  abstract sendMessage(request: SendMessageRequest): Promise<SentMessage>;
  /**
   * The carrier's most recent texts to a number, newest first: how a text whose request outlived its
   * worker is found (sent, or never received by the carrier) before it is sent again.
   */
  abstract recentMessagesTo(to: string, limit: number): Promise<CarrierMessage[]>;
}
