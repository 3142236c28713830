import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CardVoter {
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly birthYear: number | null;
  readonly city: string | null;
}

/** What the call card shows of a voter: a name to greet, an age and a city. Nothing else leaves the database. */
@Injectable()
export class CallCardRepository {
  async voter(manager: EntityManager, allianceId: string, voterId: string): Promise<CardVoter | null> {
    const rows: CardVoter[] = await manager.query(
      `SELECT id::text, first_name AS "firstName", last_name AS "lastName", birth_year AS "birthYear", city FROM voter WHERE alliance_id = $1 AND id = $2`,
      [allianceId, voterId],
    );
    return rows[0] ?? null;
  }

  async organizationName(manager: EntityManager, organizationId: string): Promise<string | null> {
    const rows: { name: string }[] = await manager.query(`SELECT name FROM organization WHERE id = $1`, [organizationId]);
    return rows[0]?.name ?? null;
  }
}
