import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a call-list row's line type came from, so a power or predictive campaign's lookup fill
 * asks the carrier about each number once: `claimed` while a worker looks it up (a claim older
 * than the fill's timeout is a dead worker's and is taken again), `found` once the carrier
 * answered, `failed` when it could not (the line type stays NULL: unknown, dialed only on a
 * volunteer's action). NULL with a line type: the voter file gave it, and it is kept, unless it is
 * the file's own "unknown", which a lookup may improve on.
 */
export class AddLineTypeLookup1795400000014 implements MigrationInterface {
  name = 'AddLineTypeLookup1795400000014';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE campaign_contact
        ADD COLUMN line_type_lookup text CHECK (line_type_lookup IN ('claimed', 'found', 'failed')),
        ADD COLUMN line_type_lookup_at timestamptz,
        ADD CONSTRAINT campaign_contact_line_type_lookup_at_check CHECK ((line_type_lookup IS NULL) = (line_type_lookup_at IS NULL))`);
    // The fill's next batch: a campaign's rows with no line type (or the voter file's "unknown") that nobody has finished looking up.
    await queryRunner.query(
      `CREATE INDEX campaign_contact_line_type_pending_idx ON campaign_contact (campaign_id, id)
        WHERE (line_type IS NULL OR line_type = 'unknown') AND (line_type_lookup IS NULL OR line_type_lookup = 'claimed')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX campaign_contact_line_type_pending_idx`);
    await queryRunner.query(`
      ALTER TABLE campaign_contact
        DROP CONSTRAINT campaign_contact_line_type_lookup_at_check, DROP COLUMN line_type_lookup_at, DROP COLUMN line_type_lookup`);
  }
}
