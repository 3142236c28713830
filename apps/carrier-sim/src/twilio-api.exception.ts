/** Twilio's error codes the simulator answers with (https://www.twilio.com/docs/api/errors). */
export const TWILIO_ERROR = {
  /** Not one of Twilio's codes: the body of a request the simulator could not read, or a bad control-endpoint value. */
  invalidParameter: 20001,
  authenticate: 20003,
  notImplemented: 20004,
  notFound: 20404,
  tooManyRequests: 20429,
  internalError: 20500,
  callToMissing: 21201,
  invalidUrl: 21205,
  invalidTo: 21211,
  invalidFrom: 21212,
  callFromMissing: 21213,
  invalidTimeout: 21208,
  invalidApplicationSid: 21218,
  invalidCallState: 21220,
  invalidMachineDetection: 21234,
  messageFromMissing: 21603,
  messageToMissing: 21604,
  messageBodyMissing: 21602,
  messageBodyTooLong: 21617,
  invalidMessagingServiceSid: 21702,
  invalidMessageStatusCallback: 21609,
  unsubscribedRecipient: 21610,
  invalidValidityPeriod: 21624,
} as const;

/** The JSON body of every error, the shape twilio-node turns into a `RestException` carrying the code. */
export interface TwilioErrorBody {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

export class TwilioApiException extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiException';
  }

  toBody(): TwilioErrorBody {
    return twilioErrorBody(this.status, this.code, this.message);
  }
}

export function twilioErrorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function badRequest(code: number, message: string): TwilioApiException {
  return new TwilioApiException(400, code, message);
}
