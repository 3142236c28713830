import { Controller, Header, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig } from '@app/config';
import { DomainErrorCode, DomainException } from '@app/common';
import { CallEventService } from '@app/contacts';
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
    private readonly config: AppConfig,
  ) {}

  @Post('calls/:callId')
  @HttpCode(204)
  async callStatus(@Param('callId', new ParseUUIDPipe()) callId: string, @Req() request: Request): Promise<void> {
    const parameters = this.verified(request);
    await this.events.receiveStatusCallback(callId, parameters);
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
