import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import type { MembershipRole } from '../entities/membership-role.enum';
import type { OrganizationKind } from '../entities/organization-kind.enum';

export interface NewInvitationRow {
  readonly allianceId: string;
  readonly organizationId: string | null;
  readonly role: MembershipRole;
  readonly email: string;
  readonly tokenHash: Buffer;
  readonly invitedByUserId: string;
  readonly expiresInDays: number;
}

/** An invitation that can still be accepted, with what the invitee needs to know about it. */
export interface OpenInvitationRow {
  readonly id: string;
  readonly allianceId: string;
  readonly allianceSlug: string;
  readonly allianceName: string;
  readonly organizationId: string | null;
  readonly organizationSlug: string | null;
  readonly organizationName: string | null;
  readonly organizationKind: OrganizationKind | null;
  readonly role: MembershipRole;
  readonly email: string;
  readonly expiresAt: Date;
}

export interface ClaimedInvitationRow {
  readonly id: string;
  readonly allianceId: string;
  readonly organizationId: string | null;
  readonly role: MembershipRole;
  readonly email: string;
}

/** Invitations are found by the hash of their secret only. */
@Injectable()
export class InvitationRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {}

  async insert(invitation: NewInvitationRow): Promise<{ id: string; expiresAt: Date }> {
    const rows: Array<{ id: string; expiresAt: Date }> = await this.manager.query(
      `INSERT INTO invitation (alliance_id, organization_id, role, email, token_hash, invited_by_user_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
       RETURNING id, expires_at AS "expiresAt"`,
      [
        invitation.allianceId,
        invitation.organizationId,
        invitation.role,
        invitation.email.toLowerCase(),
        invitation.tokenHash,
        invitation.invitedByUserId,
        invitation.expiresInDays,
      ],
    );
    return rows[0];
  }

  async findOpen(tokenHash: Buffer): Promise<OpenInvitationRow | null> {
    const rows: OpenInvitationRow[] = await this.manager.query(
      `SELECT i.id, i.alliance_id AS "allianceId", a.slug AS "allianceSlug", a.name AS "allianceName", i.organization_id AS "organizationId",
              o.slug AS "organizationSlug", o.name AS "organizationName", o.kind AS "organizationKind", i.role, i.email, i.expires_at AS "expiresAt"
         FROM invitation i
         JOIN alliance a ON a.id = i.alliance_id
         LEFT JOIN organization o ON o.id = i.organization_id
        WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /**
   * Marks the invitation used if it still is open, in one statement: of two acceptances at once,
   * the second waits for the first's row lock, then finds it used and gets null.
   */
  async claim(tokenHash: Buffer): Promise<ClaimedInvitationRow | null> {
    const [rows]: [ClaimedInvitationRow[], number] = await this.manager.query(
      `UPDATE invitation SET accepted_at = now()
        WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
        RETURNING id, alliance_id AS "allianceId", organization_id AS "organizationId", role, email`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async recordAcceptedBy(id: string, userId: string): Promise<void> {
    await this.manager.query(`UPDATE invitation SET accepted_by_user_id = $2 WHERE id = $1`, [id, userId]);
  }
}
