import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CardVoter {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly birthYear: number | null;
  readonly city: string | null;
  /** The organization the volunteer calls for, as the script names it. */
  readonly organizationName: string | null;
}

/** What the call card shows of a voter: a name to greet, an age and a city. Nothing else leaves the database. */
@Injectable()
export class CallCardRepository {
  async voterWithOrganization(manager: EntityManager, allianceId: string, voterId: string, organizationId: string): Promise<CardVoter | null> {
    const rows: CardVoter[] = await manager.query(
      `SELECT v.id::text, v.first_name AS "firstName", v.last_name AS "lastName", v.birth_year AS "birthYear", v.city,
              (SELECT o.name FROM organization o WHERE o.id = $3) AS "organizationName"
         FROM voter v WHERE v.alliance_id = $1 AND v.id = $2`,
      [allianceId, voterId, organizationId],
    );
    return rows[0] ?? null;
  }
}
