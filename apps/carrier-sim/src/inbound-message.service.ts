import type { InboundRequest } from './inbound-request.parser';
import type { InboundWebhookSender } from './inbound-webhook.sender';
import type { MessageFlow } from './message-flow.service';
import { matchOptOutKeyword, type OptOutKeywordKind } from './opt-out-keyword.matcher';
import type { OptOutRegistry } from './opt-out.registry';
import type { Scenario } from './scenario';
import type { InboundWebhookResult, MessageRequest } from './simulated-message';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { TWILIO_API_VERSION } from './twilio-format.util';

/** Twilio's default answers on long codes (its support article on opt-out keywords). */
export const AUTO_REPLY_BODIES: Readonly<Record<OptOutKeywordKind, string>> = {
  'opt-out': 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  'opt-in': 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
};

export interface InboundMessageDependencies {
  readonly messages: MessageFlow;
  readonly optOuts: OptOutRegistry;
  readonly webhooks: InboundWebhookSender;
  readonly scenario: () => Scenario;
}

export interface InboundOutcome {
  readonly sid: string;
  readonly webhook: { readonly status: number; readonly ms: number; readonly error?: string };
}

/**
 * A handset texts one of our numbers. As Twilio does for long codes, a single opt-out keyword blocks
 * the pair at once (before the webhook hears of it), an opt-in keyword lifts the block, and
 * STOP/START/HELP get Twilio's automatic answer; then the text goes to the messaging webhook.
 */
export class InboundMessages {
  constructor(private readonly dependencies: InboundMessageDependencies) {}

  async receive(inbound: InboundRequest): Promise<InboundOutcome> {
    const { messages, optOuts, webhooks, scenario } = this.dependencies;
    const settings = scenario().messages;
    const url = inbound.url ?? settings.inboundUrl;
    if (url === null) throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, 'url is required when the scenario sets no messages.inboundUrl');
    const keyword = matchOptOutKeyword(inbound.body);
    // A number in a Messaging Service opts the recipient out of the whole service, and of the number itself.
    const senders = [inbound.to, ...(inbound.messagingServiceSid === null ? [] : [inbound.messagingServiceSid])];
    const wasOptedOut = optOuts.isOptedOut(senders, inbound.from);
    if (keyword === 'opt-out') optOuts.optOut(senders, inbound.from, Date.now());
    if (keyword === 'opt-in') optOuts.optIn(senders, inbound.from);

    const message = messages.recordInbound(this.requestOf(inbound.from, inbound.to, inbound.body, inbound.messagingServiceSid));
    // Carriers deliver nothing to a recipient who opted out, so HELP from one gets no answer (as Twilio documents for toll-free).
    if (keyword !== null && settings.autoReplies && !(keyword === 'help' && wasOptedOut)) {
      messages.recordReply(this.requestOf(inbound.to, inbound.from, AUTO_REPLY_BODIES[keyword], inbound.messagingServiceSid));
    }
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      Body: inbound.body,
      From: inbound.from,
      MessageSid: message.sid,
      NumMedia: '0',
      NumSegments: String(message.numSegments),
      SmsMessageSid: message.sid,
      SmsSid: message.sid,
      SmsStatus: 'received',
      To: inbound.to,
    };
    if (inbound.messagingServiceSid !== null) params.MessagingServiceSid = inbound.messagingServiceSid;
    const result: InboundWebhookResult = await webhooks.post(url, params);
    message.webhook = result;
    return { sid: message.sid, webhook: { status: result.status, ms: result.ms, ...(result.error === undefined ? {} : { error: result.error }) } };
  }

  private requestOf(from: string, to: string, body: string, messagingServiceSid: string | null): MessageRequest {
    return { from, to, body, messagingServiceSid, mediaUrls: [], statusCallback: null, validityPeriod: null };
  }
}
