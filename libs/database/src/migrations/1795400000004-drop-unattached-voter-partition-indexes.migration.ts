import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alliance's first import used to build its partition's primary-key and voter-id indexes as
 * bare unique indexes. ATTACH only adopts an index that backs the same constraint as the
 * parent's, so it built both again: every partition attached that way carries two unused copies
 * (about 90 MB and two extra index updates per written voter at a million voters). They are the
 * partition's indexes that no index of `voter` claims; the import now adds them as constraints.
 */
export class DropUnattachedVoterPartitionIndexes1795400000004 implements MigrationInterface {
  name = 'DropUnattachedVoterPartitionIndexes1795400000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const unattached: Array<{ name: string }> = await queryRunner.query(`
      SELECT format('%I.%I', n.nspname, i.relname) AS name
      FROM pg_inherits p
      JOIN pg_index x ON x.indrelid = p.inhrelid
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE p.inhparent = 'voter'::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_inherits attached WHERE attached.inhrelid = x.indexrelid)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`);
    for (const { name } of unattached) await queryRunner.query(`DROP INDEX ${name}`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the dropped indexes duplicated the partitions' constraint indexes.
  }
}
