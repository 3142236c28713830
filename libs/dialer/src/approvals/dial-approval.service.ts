import { Injectable } from '@nestjs/common';
import { isWithinCallingWindow, OpenZonesCache, PACED_DIAL_MODES, type DialMode } from '@app/campaigns';
import { Clock, DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import { RowScopeRunner } from '@app/database';
import type { CallableNow } from '../pacing-snapshot/dialer-snapshot.repository';
import { type ApprovalCampaign, DialApprovalRepository, type DialApprovalRecord, type VoterToApprove } from './dial-approval.repository';

/** An approval is for a dial soon: the pacer places it within a tick or two, and a stale one is not acted on. */
export const DIAL_APPROVAL_SECONDS = 120;

/** The calling session a clicker works in: already checked to be the caller's own. */
export interface ClickerSession {
  readonly id: string;
  readonly allianceId: string;
  readonly campaignId: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly status: string;
  readonly startedAt: Date;
}

export type NoVoterToApproveReason = 'session_not_active' | 'campaign_not_active' | 'not_paced' | 'outside_calling_window' | 'no_voters_left';

export type NextApproval =
  | { readonly kind: 'voter'; readonly voter: VoterToApprove; readonly approvedCount: number }
  | { readonly kind: 'none'; readonly reason: NoVoterToApproveReason; readonly message: string; readonly approvedCount: number };

export interface DialApproval extends DialApprovalRecord {
  /** The row was approved already (a second click, or another clicker): this is that approval, unchanged. */
  readonly repeated: boolean;
}

/**
 * Clickers: in a power or predictive campaign, mobile and unknown-type numbers are dialed only on a
 * person's action. A clicker sees the next such voter of their session's organization (first
 * name, city, the phone's last four digits) and approves the dial; the pacer places one call per
 * approval. Everything runs in the session organization's row scope, so an id from elsewhere is
 * simply not found.
 */
@Injectable()
export class DialApprovalService {
  private readonly openZones = new OpenZonesCache();

  constructor(
    private readonly approvals: DialApprovalRepository,
    private readonly scopes: RowScopeRunner,
    private readonly clock: Clock,
  ) {}

  async next(session: ClickerSession): Promise<NextApproval> {
    const now = this.clock.now();
    const pool = { campaignId: session.campaignId, organizationId: session.organizationId };
    return this.scopes.run(this.scopeOf(session), async (manager) => {
      const approvedCount = await this.approvals.countApprovedBy(manager, pool, session.userId, session.startedAt);
      const none = (reason: NoVoterToApproveReason, message: string): NextApproval => ({ kind: 'none', reason, message, approvedCount });
      if (session.status !== 'active') return none('session_not_active', `Your session is ${session.status}`);
      const campaign = await this.approvals.campaignOf(manager, session.campaignId);
      if (campaign === null || campaign.status !== 'active') return none('campaign_not_active', `The campaign is ${campaign?.status ?? 'gone'}`);
      if (!PACED_DIAL_MODES.has(campaign.dialMode as DialMode)) {
        return none('not_paced', 'This campaign is in preview mode: volunteers click to call each voter, so no dial needs approving');
      }
      const callable = this.callableAt(now, campaign);
      if (callable.openTimeZones.length === 0 && !callable.unknownZoneOpen) {
        return none('outside_calling_window', 'No voter may be called right now: it is outside the calling window where they live');
      }
      const voter = await this.approvals.nextToApprove(manager, pool, callable);
      if (voter === null) return none('no_voters_left', 'No mobile or unknown-type number waits for approval right now');
      return { kind: 'voter', voter, approvedCount };
    });
  }

  /** Approves the dial of one call-list row; a second approval of the same row is the first one. */
  async approve(session: ClickerSession, campaignContactId: string): Promise<DialApproval> {
    const now = this.clock.now();
    const pool = { campaignId: session.campaignId, organizationId: session.organizationId };
    return this.scopes.run(this.scopeOf(session), async (manager) => {
      const contact = await this.approvals.contact(manager, pool, campaignContactId);
      if (contact === null) throw new NotFoundDomainException('Call-list row of this session’s campaign and organization', campaignContactId);
      const open = await this.approvals.openApproval(manager, campaignContactId);
      if (open !== null) return { ...open, repeated: true };
      if (session.status !== 'active') throw conflict(`Your session is ${session.status}; resume it to approve dials`, campaignContactId);
      const campaign = await this.approvals.campaignOf(manager, session.campaignId);
      if (campaign === null || campaign.status !== 'active') throw conflict(`The campaign is ${campaign?.status ?? 'gone'}`, campaignContactId);
      if (!PACED_DIAL_MODES.has(campaign.dialMode as DialMode)) {
        throw conflict('Dials are approved only in power and predictive campaigns; this one is in preview mode', campaignContactId);
      }
      if (contact.lineType === 'landline' || contact.dialConsent) {
        throw conflict('This number needs no approval: the dialer may call a landline or a consented number by itself', campaignContactId);
      }
      if (!(await this.approvals.awaitsApproval(manager, pool, this.callableAt(now, campaign), campaignContactId))) {
        throw conflict(
          'This voter cannot be dialed now: already called or being called, waiting for a retry, outside their calling hours, or on a do-not-call or opt-out list',
          campaignContactId,
        );
      }
      const inserted = await this.approvals.insert(manager, {
        allianceId: session.allianceId,
        pool,
        campaignContactId,
        userId: session.userId,
        validSeconds: DIAL_APPROVAL_SECONDS,
      });
      if (inserted !== null) return { ...inserted, repeated: false };
      // Another click approved it between our look and our insert: theirs is the approval.
      const theirs = await this.approvals.openApproval(manager, campaignContactId);
      if (theirs === null) throw conflict('This voter’s approval changed while approving; ask for the next voter', campaignContactId);
      return { ...theirs, repeated: true };
    });
  }

  private callableAt(now: Date, campaign: ApprovalCampaign): CallableNow {
    return { openTimeZones: this.openZones.openAt(now, campaign.callingWindow), unknownZoneOpen: isWithinCallingWindow(null, now, campaign.callingWindow) };
  }

  private scopeOf(session: ClickerSession) {
    return { kind: 'organizations' as const, allianceId: session.allianceId, organizationIds: [session.organizationId], regionCounties: [] };
  }
}

function conflict(message: string, campaignContactId: string): DomainException {
  return new DomainException(DomainErrorCode.Conflict, message, { campaignContactId });
}
