import { DomainErrorCode, DomainException } from '@app/common';

/** Why a texting request was refused; sent as `details.reason` with a 409 so the console can act on it. */
export enum TextingRefusal {
  NotTextCampaign = 'not_text_campaign',
  CampaignNotActive = 'campaign_not_active',
  NoSender = 'no_sender',
  NoInitialMessage = 'no_initial_message',
  InitialMessageUnusable = 'initial_message_unusable',
  /** The texter still has conversations waiting for a first text or a reply. */
  BacklogPending = 'backlog_pending',
  WrongStatus = 'wrong_status',
  InitialNotSent = 'initial_not_sent',
  ConversationClosed = 'conversation_closed',
  /** Opted out, on the do-not-call list, or a bad number. */
  PhoneBlocked = 'phone_blocked',
  /** Another voter sharing the phone already got the campaign's initial text. */
  PhoneAlreadyTexted = 'phone_already_texted',
  WindowNeverOpens = 'window_never_opens',
}

export function textingRefused(reason: TextingRefusal, message: string, details: Record<string, unknown>): DomainException {
  return new DomainException(DomainErrorCode.Conflict, message, { reason, ...details });
}
