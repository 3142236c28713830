import { Controller, Header, HttpCode, Logger, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig } from '@app/config';
import { DomainErrorCode, DomainException } from '@app/common';
import { CallEventService } from '@app/contacts';
import { CallAnswerService } from '@app/dialer';
import { MessageWebhookService } from '@app/messaging';
import { TelephonyPort, volunteerLegTwiml } from '@app/telephony';

const BROWSER_CALLER = /^client:session-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * What the carrier calls: signed with X-Twilio-Signature over our public URL and every posted
 * field, or refused with 403 before anything is read. Status callbacks are stored, enqueued and
 * answered at once; the dialer worker applies them.
 */
@ApiExcludeController()
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  constructor(
    private readonly telephony: TelephonyPort,
    private readonly events: CallEventService,
    private readonly answers: CallAnswerService,
    private readonly texts: MessageWebhookService,
    private readonly config: AppConfig,
  ) {}

  private readonly logger = new Logger(TwilioWebhooksController.name);

  /**
   * A power or predictive call's voice URL, asked once detection judged who answered (AnsweredBy):
   * TwiML that bridges a person to the longest-idle ready volunteer, or plays the identification
   * message, or handles a machine. A live person may be on the line, so an unexpected failure still
   * answers TwiML (hang up, logged) rather than an error page the carrier would read out.
   */
  @Post('calls/:callId/answer')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async answer(@Param('callId', new ParseUUIDPipe()) callId: string, @Req() request: Request): Promise<string> {
    const parameters = this.verified(request);
    try {
      return (await this.answers.answer(callId, parameters)).twiml;
    } catch (error) {
      if (error instanceof DomainException) throw error;
      this.logger.error({ message: 'answer request failed; hanging up', callId, error: error instanceof Error ? error.message : String(error) });
      return '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
    }
  }

  @Post('calls/:callId')
  @HttpCode(204)
  async callStatus(@Param('callId', new ParseUUIDPipe()) callId: string, @Req() request: Request): Promise<void> {
    const parameters = this.verified(request);
    await this.events.receiveStatusCallback(callId, parameters);
  }

  /** A text's delivery status callback (the StatusCallback each send names). */
  @Post('messages/:messageId/status')
  @HttpCode(204)
  async messageStatus(@Param('messageId', new ParseUUIDPipe()) messageId: string, @Req() request: Request): Promise<void> {
    await this.texts.receiveStatus(messageId, this.verified(request));
  }

  /**
   * Our numbers' (or Messaging Service's) incoming-message URL. Answers empty TwiML: replies go out
   * through the send queue, paced and recorded like every other text, never as TwiML.
   */
  @Post('messages/inbound')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async inboundMessage(@Req() request: Request): Promise<string> {
    await this.texts.receiveInbound(this.verified(request));
    return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
  }

  /** The TwiML app's voice URL: the volunteer's browser joins their session's conference. */
  @Post('voice')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  voice(@Req() request: Request): string {
    const parameters = this.verified(request);
    const caller = BROWSER_CALLER.exec(parameters.From ?? parameters.Caller ?? '');
    if (caller === null) throw new DomainException(DomainErrorCode.ValidationFailed, 'Only a volunteer’s browser session may join a conference');
    return volunteerLegTwiml(caller[1]);
  }

  private verified(request: Request): Record<string, string> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parameters = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const url = `${this.config.telephony.webhookBaseUrl}${request.originalUrl}`;
    if (!this.telephony.isSignatureValid(url, parameters, request.header('x-twilio-signature'))) {
      throw new DomainException(DomainErrorCode.Forbidden, 'The request does not carry a valid X-Twilio-Signature');
    }
    return parameters;
  }
}
