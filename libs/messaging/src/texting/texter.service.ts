import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type CampaignActor,
  type CampaignRecord,
  CampaignService,
  type CannedResponse,
  organizationsServedBy,
  type ScriptMergeContext,
  type SurveyQuestion,
  validateSurveyAnswers,
} from '@app/campaigns';
import { Clock, DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { ContactAttemptRepository } from '@app/contacts';
import { allianceWideAccess, RowScopeRunner } from '@app/database';
import { SegmentEvidenceService } from '@app/segments';
import type { ConversationStatus } from '../conversations/conversation.repository';
import type { MessageRecord } from '../messages/message.repository';
import { OutboundMessageService } from '../messages/outbound-message.service';
import { decideTextingWindow } from '../window/texting-window.policy';
import { type AssignedBatch, TextingAssignmentRepository } from './texting-assignment.repository';
import { type ConversationListItem, type ConversationMessage, TexterConversationRepository, type TexterConversation } from './texter-conversation.repository';
import { decodeCursor, encodeCursor } from './texting-cursor.util';
import { MAX_TEXT_LENGTH, phoneLastDigits, renderCannedResponses, renderInitialMessage } from './texting-message.renderer';
import { TextingRefusal, textingRefused } from './texting.exception';

/** The texter and what they may see: the policy's answer for the campaign-calling permission, which covers texting. */
export type TexterActor = CampaignActor & { readonly displayName: string };

export const ASSIGNMENT_COUNT = { min: 1, max: 1_000, default: 100 } as const;
export const CONVERSATION_PAGE = { max: 100, default: 25 } as const;

/**
 * How a texter closes a conversation; the default is `replied` when the voter wrote back, else
 * `texted`. As on a call, `do_not_call` (the voter asked not to be contacted, in words no keyword
 * caught) puts the phone on the do-not-call list, and `wrong_number` marks the phone wrong.
 */
export const TEXTING_DISPOSITIONS = ['texted', 'replied', 'refused', 'wrong_number', 'do_not_call'] as const;
export type TextingDisposition = (typeof TEXTING_DISPOSITIONS)[number];

export interface AssignmentResult extends AssignedBatch {
  readonly campaignId: string;
  readonly organizationId: string;
  readonly requestedCount: number;
  /** The texter's conversations now waiting for their initial text, this batch's and any before. */
  readonly needsMessage: number;
}

/** What the texter's screen shows of a voter: a first name to greet and four digits to confirm, never the number. */
export interface TextingVoter {
  readonly firstName: string | null;
  readonly phoneLastDigits: string;
}

export type NextInitialResult =
  | {
      readonly kind: 'conversation';
      readonly conversationId: string;
      readonly voter: TextingVoter;
      readonly body: string;
      readonly segmentKey: string | null;
      /** Conversations of the texter waiting for their initial text, this one included. */
      readonly waiting: number;
    }
  | { readonly kind: 'none'; readonly reason: 'campaign_not_active' | 'none_assigned'; readonly message: string };

export interface SentText {
  readonly message: MessageRecord;
  /** True when this request found the text already written (a double click, a retry). */
  readonly repeated: boolean;
  /** Outside the voter's texting window the text waits; this is when it may go. Null: it goes now. */
  readonly heldUntil: Date | null;
}

export interface ConversationPage {
  readonly items: readonly (Omit<ConversationListItem, 'voterPhone' | 'updatedAtText'> & { readonly phoneLastDigits: string })[];
  readonly nextCursor: string | null;
}

export interface ConversationDetail {
  readonly id: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly status: ConversationStatus;
  readonly closedReason: string | null;
  readonly voter: TextingVoter;
  readonly optedOut: boolean;
  readonly messages: readonly ConversationMessage[];
  readonly cannedResponses: readonly CannedResponse[];
  readonly surveyQuestions: readonly SurveyQuestion[];
  readonly attempt: { readonly id: string; readonly disposition: string; readonly answers: readonly { questionKey: string; answer: string }[] } | null;
}

export interface CloseInput {
  readonly answers: readonly { readonly questionKey: string; readonly answer: string }[];
  readonly disposition?: string;
}

export interface ClosedConversation {
  readonly conversationId: string;
  readonly attemptId: string;
  readonly disposition: string;
  readonly answers: readonly { questionKey: string; answer: string }[];
  readonly repeated: boolean;
}

/**
 * Peer-to-peer texting, the texter's side: batches of contacts on request (more only when the
 * replies are handled), each initial text sent by one human action and written once, replies
 * written once per console click, and a conversation closed with its survey answers once. Every
 * read and write runs in the texter's row scope, so the database itself keeps other
 * organizations' voters out.
 */
@Injectable()
export class TexterService {
  private readonly logger = new Logger(TexterService.name);

  constructor(
    private readonly campaigns: CampaignService,
    private readonly assignments: TextingAssignmentRepository,
    private readonly conversations: TexterConversationRepository,
    private readonly attempts: ContactAttemptRepository,
    private readonly outbound: OutboundMessageService,
    private readonly segments: SegmentEvidenceService,
    private readonly rowScopes: RowScopeRunner,
    private readonly clock: Clock,
  ) {}

  /** A new batch of contacts for the texter, refused while earlier ones still wait for a text or a reply. */
  async requestAssignment(actor: TexterActor, campaignId: string, request: { count?: number; organizationId?: string }): Promise<AssignmentResult> {
    const found = await this.campaigns.findForActor(actor, campaignId);
    // Who may text it first: another organization's campaign is refused before anything about it is told.
    const organizationId = await this.organizationToTextFor(actor, found, request.organizationId);
    const campaign = textable(found);
    const requestedCount = request.count ?? ASSIGNMENT_COUNT.default;
    if (campaign.messagingServiceSid === null && campaign.sendingNumbers.length === 0) {
      throw textingRefused(TextingRefusal.NoSender, 'The campaign has no sending number or Messaging Service to text from; ask its organizer', {
        campaignId,
      });
    }
    // Another organization's texts count for suppression too, so this read needs the alliance's
    // access; it answers only which of this organization's own phones to skip.
    const suppressedPhones =
      campaign.suppressTextedWithinDays === null
        ? []
        : await this.rowScopes.run(allianceWideAccess(actor.allianceId).rowScope, (manager) =>
            this.assignments.suppressedPhones(
              manager,
              campaign.id,
              organizationId,
              new Date(this.clock.now().getTime() - campaign.suppressTextedWithinDays! * 24 * 3600_000),
            ),
          );
    return this.rowScopes.run(actor.rowScope, async (manager) => {
      await this.assignments.lockTexter(manager, campaign.id, actor.userId);
      const backlog = await this.assignments.backlog(manager, campaign.id, actor.userId);
      if (backlog.needsMessage > 0 || backlog.needsResponse > 0) {
        throw textingRefused(
          TextingRefusal.BacklogPending,
          `Finish your current conversations first: ${backlog.needsMessage} still need their first text and ${backlog.needsResponse} need a reply. Texters get more contacts when their replies are handled.`,
          { ...backlog },
        );
      }
      const batch = await this.assignments.assignBatch(manager, {
        allianceId: actor.allianceId,
        campaignId: campaign.id,
        organizationId,
        texterUserId: actor.userId,
        requestedCount,
        sendingNumbers: campaign.sendingNumbers,
        messagingServiceSid: campaign.messagingServiceSid,
        suppressedPhones,
      });
      return { ...batch, campaignId: campaign.id, organizationId, requestedCount, needsMessage: batch.assignedCount };
    });
  }

  /** The next conversation waiting for its initial text, with the text as it will be sent. */
  async nextInitial(actor: TexterActor, campaignId: string): Promise<NextInitialResult> {
    const campaign = await this.campaigns.findForActor(actor, campaignId);
    await this.assertMayText(actor, campaign);
    if (campaign.channel !== 'sms') throw textingRefused(TextingRefusal.NotTextCampaign, 'This is not a text campaign', { campaignId });
    if (campaign.status !== 'active') return { kind: 'none', reason: 'campaign_not_active', message: `The campaign is ${campaign.status}` };
    return this.rowScopes.run(actor.rowScope, async (manager): Promise<NextInitialResult> => {
      // A STOP (or a do-not-call, or a bad number) since the batch was assigned: those are closed, never offered.
      await this.conversations.closeBlockedAwaitingInitial(manager, campaign.id, actor.userId);
      const { conversation, waiting } = await this.conversations.nextAwaitingInitial(manager, campaign.id, actor.userId);
      if (conversation === null) {
        return { kind: 'none', reason: 'none_assigned', message: 'Nobody is waiting for a first text: ask for more contacts once your replies are handled' };
      }
      const rendered = await this.renderInitial(manager, actor, campaign, conversation);
      return { kind: 'conversation', conversationId: conversation.id, voter: voterOf(conversation), ...rendered, waiting };
    });
  }

  /**
   * Sends the conversation's initial text: the text row (once per conversation, and once per phone
   * in the campaign) and the conversation's move to `messaged` in one transaction, then the send job.
   */
  async sendInitial(actor: TexterActor, conversationId: string): Promise<SentText> {
    const now = this.clock.now();
    const outcome = await this.rowScopes.run(actor.rowScope, async (manager) => {
      const conversation = await this.ownConversation(manager, actor, conversationId, true);
      const campaign = await this.campaigns.findForActor(actor, conversation.campaignId);
      const window = decideTextingWindow(conversation.timeZone, now, campaign.callingWindow);
      if (conversation.status !== 'needs_message') {
        const existing = await this.conversations.messageByKey(manager, `initial:${conversation.id}`);
        if (existing !== null) return { kind: 'sent' as const, message: existing, created: false, window };
        throw textingRefused(TextingRefusal.WrongStatus, `This conversation is ${conversation.status}; its initial text was not sent from it`, {
          status: conversation.status,
        });
      }
      if (campaign.status !== 'active') {
        throw textingRefused(TextingRefusal.CampaignNotActive, `The campaign is ${campaign.status}; texts go out while it is active`, {
          status: campaign.status,
        });
      }
      if (window.kind === 'never') {
        // Closed, or the same voter would come up next again and again.
        await this.conversations.close(manager, conversation.id, 'window');
        return { kind: 'window_never_opens' as const };
      }
      await this.conversations.closeBlockedAwaitingInitial(manager, campaign.id, actor.userId);
      const current = await this.ownConversation(manager, actor, conversationId, false);
      if (current.status === 'closed') return { kind: 'blocked' as const, reason: current.closedReason };
      const written = await this.outbound.write(manager, await this.initialFor(manager, actor, campaign, conversation));
      if (written.message.conversationId !== conversation.id) {
        // Another voter sharing this phone already got the campaign's initial text: one per phone.
        await this.conversations.close(manager, conversation.id, 'suppressed');
        return { kind: 'shared_phone' as const };
      }
      await this.conversations.markMessaged(manager, conversation.id, now);
      return { kind: 'sent' as const, ...written, window };
    });
    if (outcome.kind === 'blocked') {
      throw textingRefused(
        TextingRefusal.PhoneBlocked,
        'This phone may not be texted (it opted out, is on the do-not-call list or is a bad number); the conversation is closed',
        {
          closedReason: outcome.reason,
        },
      );
    }
    if (outcome.kind === 'window_never_opens') {
      throw textingRefused(
        TextingRefusal.WindowNeverOpens,
        'The campaign’s texting window never opens where this voter lives; nothing was sent and the conversation is closed',
        {},
      );
    }
    if (outcome.kind === 'shared_phone') {
      throw textingRefused(
        TextingRefusal.PhoneAlreadyTexted,
        'Someone sharing this phone already got this campaign’s first text; the conversation is closed',
        {},
      );
    }
    if (outcome.message.status === 'created') await this.outbound.enqueueSend(outcome.message.id);
    return { message: outcome.message, repeated: !outcome.created, heldUntil: outcome.window.kind === 'hold' ? outcome.window.until : null };
  }

  async listConversations(
    actor: TexterActor,
    campaignId: string,
    query: { status?: ConversationStatus; cursor?: string; limit?: number },
  ): Promise<ConversationPage> {
    const campaign = await this.campaigns.findForActor(actor, campaignId);
    await this.assertMayText(actor, campaign);
    const after = decodeCursor(query.cursor, 'cursor');
    const limit = query.limit ?? CONVERSATION_PAGE.default;
    const rows = await this.rowScopes.run(actor.rowScope, (manager) =>
      this.conversations.listOwn(manager, {
        campaignId: campaign.id,
        texterUserId: actor.userId,
        status: query.status ?? 'needs_response',
        after: after === null ? null : { updatedAt: after.at, id: after.id },
        limit: limit + 1,
      }),
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ voterPhone, updatedAtText: _cursor, ...item }) => ({ ...item, phoneLastDigits: phoneLastDigits(voterPhone) })),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ at: last.updatedAtText, id: last.id }) : null,
    };
  }

  /** One conversation: every text in and out, the canned responses rendered for its voter, and what was recorded at close. */
  async conversation(actor: TexterActor, conversationId: string): Promise<ConversationDetail> {
    return this.rowScopes.run(actor.rowScope, async (manager) => {
      const conversation = await this.ownConversation(manager, actor, conversationId, false);
      const campaign = await this.campaigns.findForActor(actor, conversation.campaignId);
      const messages = await this.conversations.messagesOf(manager, conversation.id);
      const context = await this.mergeContext(manager, actor, conversation, false);
      const optedOut = (await this.conversations.blocksOf(manager, conversation.allianceId, conversation.voterPhone)).optedOut;
      const attempt = await this.conversations.attemptOf(manager, conversation.id);
      return {
        id: conversation.id,
        campaignId: conversation.campaignId,
        organizationId: conversation.organizationId,
        status: conversation.status,
        closedReason: conversation.closedReason,
        voter: voterOf(conversation),
        optedOut,
        messages,
        cannedResponses: renderCannedResponses(campaign.cannedResponses ?? [], context),
        surveyQuestions: (campaign.surveyQuestions ?? []) as SurveyQuestion[],
        attempt: attempt === null ? null : { id: attempt.id, disposition: attempt.disposition, answers: await this.attempts.responsesOf(manager, attempt.id) },
      };
    });
  }

  /** A reply from the console, written once per `clientKey` (the console's own id for the click). */
  async reply(actor: TexterActor, conversationId: string, input: { body: string; clientKey: string }): Promise<SentText> {
    const body = input.body.trim();
    if (body.length === 0) throw new DomainException(DomainErrorCode.ValidationFailed, 'body: the reply is empty', { field: 'body' });
    const now = this.clock.now();
    const idempotencyKey = `reply:${conversationId}:${input.clientKey.toLowerCase()}`;
    const outcome = await this.rowScopes.run(actor.rowScope, async (manager) => {
      const conversation = await this.ownConversation(manager, actor, conversationId, true);
      const campaign = await this.campaigns.findForActor(actor, conversation.campaignId);
      const window = decideTextingWindow(conversation.timeZone, now, campaign.callingWindow);
      const draft = {
        allianceId: conversation.allianceId,
        campaignId: conversation.campaignId,
        organizationId: conversation.organizationId,
        conversationId: conversation.id,
        kind: 'reply' as const,
        idempotencyKey,
        voterPhone: conversation.voterPhone,
        ourNumber: conversation.sendingNumber,
        messagingServiceSid: conversation.sendingNumber === null ? conversation.messagingServiceSid : null,
        body,
        segmentKey: null,
        sentByUserId: actor.userId,
      };
      const existing = await this.conversations.messageByKey(manager, idempotencyKey);
      if (existing !== null) return { message: existing, created: false, window };
      if (conversation.status === 'closed') {
        throw textingRefused(TextingRefusal.ConversationClosed, 'This conversation is closed; nothing was sent', { closedReason: conversation.closedReason });
      }
      if (conversation.status === 'needs_message') {
        throw textingRefused(TextingRefusal.InitialNotSent, 'Send this conversation’s first text before replying', {});
      }
      if (campaign.status === 'finished' || campaign.status === 'draft') {
        throw textingRefused(TextingRefusal.CampaignNotActive, `The campaign is ${campaign.status}; nothing was sent`, { status: campaign.status });
      }
      const blocks = await this.conversations.blocksOf(manager, conversation.allianceId, conversation.voterPhone);
      if (blocks.optedOut || blocks.doNotCall) {
        throw textingRefused(TextingRefusal.PhoneBlocked, 'This voter opted out of texts (or asked not to be contacted); nothing was sent', {});
      }
      if (window.kind === 'never') {
        throw textingRefused(TextingRefusal.WindowNeverOpens, 'The campaign’s texting window never opens where this voter lives; nothing was sent', {});
      }
      const written = await this.outbound.write(manager, draft);
      if (written.created) await this.conversations.markMessaged(manager, conversation.id, now);
      return { ...written, window };
    });
    if (outcome.message.status === 'created') await this.outbound.enqueueSend(outcome.message.id);
    return { message: outcome.message, repeated: !outcome.created, heldUntil: outcome.window.kind === 'hold' ? outcome.window.until : null };
  }

  /**
   * Closes the conversation and records its contact attempt (channel sms, its lease id the
   * conversation's id, so a repeat finds it) with the survey answers, once.
   */
  async close(actor: TexterActor, conversationId: string, input: CloseInput): Promise<ClosedConversation> {
    const disposition = parseDisposition(input.disposition);
    return this.rowScopes.run(actor.rowScope, async (manager): Promise<ClosedConversation> => {
      const conversation = await this.ownConversation(manager, actor, conversationId, true);
      const existing = await this.conversations.attemptOf(manager, conversation.id);
      if (existing !== null) {
        const answers = await this.attempts.responsesOf(manager, existing.id);
        return { conversationId: conversation.id, attemptId: existing.id, disposition: existing.disposition, answers, repeated: true };
      }
      if (conversation.status === 'needs_message') {
        throw textingRefused(TextingRefusal.InitialNotSent, 'Nothing was texted in this conversation yet; send its first text before closing it', {});
      }
      const campaign = await this.campaigns.findForActor(actor, conversation.campaignId);
      const questions = (campaign.surveyQuestions ?? []) as SurveyQuestion[];
      const answers = validateSurveyAnswers(questions, input.answers);
      const chosen = disposition ?? (conversation.lastInboundAt === null ? 'texted' : 'replied');
      const attempt = await this.conversations.insertAttempt(manager, {
        conversation,
        volunteerUserId: actor.userId,
        disposition: chosen,
        scriptVersion: campaign.scriptVersion,
      });
      if (attempt === null) {
        const raced = (await this.conversations.attemptOf(manager, conversation.id))!;
        return {
          conversationId: conversation.id,
          attemptId: raced.id,
          disposition: raced.disposition,
          answers: await this.attempts.responsesOf(manager, raced.id),
          repeated: true,
        };
      }
      await this.attempts.insertResponses(
        manager,
        {
          id: attempt.id,
          allianceId: conversation.allianceId,
          campaignId: conversation.campaignId,
          organizationId: conversation.organizationId,
          voterId: conversation.voterId,
        },
        answers,
      );
      await this.recordValuesEvidence(manager, actor, conversation, questions, attempt.id, answers);
      if (chosen === 'do_not_call') await this.attempts.addDoNotCall(manager, conversation.allianceId, conversation.voterPhone, attempt.id, actor.userId);
      if (chosen === 'wrong_number') await this.attempts.markWrongNumber(manager, conversation.allianceId, conversation.voterPhone, attempt.id);
      await this.conversations.close(manager, conversation.id, 'texter');
      await this.conversations.finishContact(manager, conversation.campaignContactId, chosen);
      return { conversationId: conversation.id, attemptId: attempt.id, disposition: chosen, answers, repeated: false };
    });
  }

  /**
   * The alliance of one of the user's own conversations, among `allianceIds` (where they may text):
   * the routes about one conversation authorize in it. Null when none holds it.
   */
  async allianceOfConversation(allianceIds: readonly string[], userId: string, conversationId: string): Promise<string | null> {
    for (const allianceId of allianceIds) {
      const found = await this.rowScopes.run(allianceWideAccess(allianceId).rowScope, (manager) =>
        this.conversations.isTexters(manager, conversationId, userId),
      );
      if (found) return allianceId;
    }
    return null;
  }

  /** A campaign of another organization (or a program none of the actor's organizations has turf in) is refused. */
  private async assertMayText(actor: TexterActor, campaign: CampaignRecord): Promise<void> {
    if (actor.allianceWide) return;
    const served = organizationsServedBy(actor);
    if (campaign.organizationId !== null) {
      if (served.has(campaign.organizationId)) return;
      throw new DomainException(DomainErrorCode.Forbidden, 'This campaign belongs to another organization', { campaign: campaign.slug });
    }
    const withTurf = await this.rowScopes.run(actor.rowScope, (manager) => this.assignments.organizationsWithTurf(manager, campaign.id, [...served]));
    if (withTurf.length === 0)
      throw new DomainException(DomainErrorCode.Forbidden, 'None of your organizations has turf in this campaign', { campaign: campaign.slug });
  }

  private async organizationToTextFor(actor: TexterActor, campaign: CampaignRecord, requested: string | undefined): Promise<string> {
    const served = organizationsServedBy(actor);
    if (campaign.organizationId !== null) {
      if (requested !== undefined && requested !== campaign.organizationId) {
        throw new DomainException(DomainErrorCode.ValidationFailed, 'organizationId: this campaign is texted for the organization that runs it', {
          field: 'organizationId',
        });
      }
      if (actor.allianceWide || served.has(campaign.organizationId)) return campaign.organizationId;
      throw new DomainException(DomainErrorCode.Forbidden, 'This campaign belongs to another organization', { campaign: campaign.slug });
    }
    const candidates = actor.allianceWide && requested !== undefined ? [requested] : [...served];
    const withTurf = await this.rowScopes.run(actor.rowScope, (manager) => this.assignments.organizationsWithTurf(manager, campaign.id, candidates));
    const chosen = requested === undefined ? withTurf[0] : withTurf.find((each) => each === requested);
    if (chosen === undefined) {
      throw new DomainException(
        DomainErrorCode.Forbidden,
        actor.allianceWide && requested === undefined
          ? 'Name the organization you text for (organizationId): this program is worked by its member organizations'
          : 'None of your organizations has turf in this campaign',
        { campaign: campaign.slug },
      );
    }
    return chosen;
  }

  private async ownConversation(manager: EntityManager, actor: TexterActor, conversationId: string, lock: boolean): Promise<TexterConversation> {
    const conversation = lock
      ? await this.conversations.lockOwn(manager, conversationId, actor.userId)
      : await this.conversations.findOwn(manager, conversationId, actor.userId);
    if (conversation === null || conversation.allianceId !== actor.allianceId) throw new NotFoundDomainException('Conversation', conversationId);
    return conversation;
  }

  private async renderInitial(
    manager: EntityManager,
    actor: TexterActor,
    campaign: CampaignRecord,
    conversation: TexterConversation,
  ): Promise<{ body: string; segmentKey: string | null }> {
    if (campaign.initialMessage === null) {
      throw textingRefused(TextingRefusal.NoInitialMessage, 'The campaign has no initial message yet; ask its organizer', { campaignId: campaign.id });
    }
    const rendered = renderInitialMessage(campaign.initialMessage, await this.mergeContext(manager, actor, conversation, true));
    if (rendered.body.length === 0 || rendered.body.length > MAX_TEXT_LENGTH) {
      throw textingRefused(
        TextingRefusal.InitialMessageUnusable,
        `The initial text for this voter has ${rendered.body.length} characters; a text has 1 to 1,600`,
        {},
      );
    }
    return rendered;
  }

  private async initialFor(manager: EntityManager, actor: TexterActor, campaign: CampaignRecord, conversation: TexterConversation) {
    const rendered = await this.renderInitial(manager, actor, campaign, conversation);
    return {
      allianceId: conversation.allianceId,
      campaignId: conversation.campaignId,
      organizationId: conversation.organizationId,
      conversationId: conversation.id,
      kind: 'initial' as const,
      idempotencyKey: `initial:${conversation.id}`,
      voterPhone: conversation.voterPhone,
      ourNumber: conversation.sendingNumber,
      messagingServiceSid: conversation.sendingNumber === null ? conversation.messagingServiceSid : null,
      body: rendered.body,
      segmentKey: rendered.segmentKey,
      sentByUserId: actor.userId,
    };
  }

  private async mergeContext(manager: EntityManager, actor: TexterActor, conversation: TexterConversation, withSegment: boolean): Promise<ScriptMergeContext> {
    const segment = withSegment ? await this.segments.segmentWithin(manager, conversation.allianceId, conversation.voterId) : null;
    return {
      voter: { firstName: conversation.firstName, lastName: conversation.lastName, city: conversation.city, birthYear: conversation.birthYear },
      volunteer: { firstName: actor.displayName.trim().split(/\s+/)[0] ?? null },
      organization: { name: conversation.organizationName },
      segmentKey: segment?.key ?? null,
      now: this.clock.now(),
    };
  }

  private async recordValuesEvidence(
    manager: EntityManager,
    actor: TexterActor,
    conversation: TexterConversation,
    questions: readonly SurveyQuestion[],
    attemptId: string,
    answers: readonly { questionKey: string; answer: string }[],
  ): Promise<void> {
    const requests = answers.flatMap((response) => {
      const question = questions.find((each) => each.key === response.questionKey);
      return question?.kind === 'values'
        ? [{ questionKey: question.valuesQuestionKey, answerKey: response.answer, source: 'sms' as const, sourceReference: attemptId }]
        : [];
    });
    const { unknown } = await this.segments.recordAnswersWithin(
      manager,
      { allianceId: conversation.allianceId, userId: actor.userId },
      conversation.voterId,
      requests,
    );
    if (unknown.length > 0) {
      this.logger.warn({
        message: 'values answers left out of the segment: the current taxonomy does not know them',
        campaignId: conversation.campaignId,
        questionKeys: unknown,
      });
    }
  }
}

/** The campaign, if texts may be sent in it now; else why not. */
function textable(campaign: CampaignRecord): CampaignRecord {
  if (campaign.channel !== 'sms') throw textingRefused(TextingRefusal.NotTextCampaign, 'This is not a text campaign', { campaignId: campaign.id });
  if (campaign.status !== 'active') {
    throw textingRefused(TextingRefusal.CampaignNotActive, `Campaign "${campaign.name}" is ${campaign.status}; texting opens when it is active`, {
      status: campaign.status,
    });
  }
  return campaign;
}

function voterOf(conversation: TexterConversation): TextingVoter {
  return { firstName: conversation.firstName, phoneLastDigits: phoneLastDigits(conversation.voterPhone) };
}

function parseDisposition(value: string | undefined): TextingDisposition | undefined {
  if (value === undefined) return undefined;
  if (!(TEXTING_DISPOSITIONS as readonly string[]).includes(value)) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `disposition: "${value}" is not one of ${TEXTING_DISPOSITIONS.join(', ')}`, {
      field: 'disposition',
    });
  }
  return value as TextingDisposition;
}
