import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateQueueProbe1795400000001 implements MigrationInterface {
  name = 'CreateQueueProbe1795400000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE queue_probe_status AS ENUM ('pending', 'processed')`);
    await queryRunner.query(`
      CREATE TABLE queue_probe (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL,
        queue_name text NOT NULL,
        status queue_probe_status NOT NULL DEFAULT 'pending',
        correlation_id text NOT NULL,
        processed_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CONSTRAINT queue_probe_batch_queue_unique UNIQUE (batch_id, queue_name),
        CONSTRAINT queue_probe_processed_check CHECK ((status = 'processed') = (processed_at IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE queue_probe`);
    await queryRunner.query(`DROP TYPE queue_probe_status`);
  }
}
