import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's parent must be an anchor, not merely an organization of the same alliance: the
 * foreign key now also matches the parent's kind, through a generated column that is 'anchor'
 * whenever a parent is set.
 */
export class RequireAnchorParent1795400000002 implements MigrationInterface {
  name = 'RequireAnchorParent1795400000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE organization ADD COLUMN parent_kind organization_kind
         GENERATED ALWAYS AS (CASE WHEN parent_anchor_id IS NULL THEN NULL ELSE 'anchor'::organization_kind END) STORED`,
    );
    await queryRunner.query(`ALTER TABLE organization ADD CONSTRAINT organization_alliance_id_kind_unique UNIQUE (alliance_id, id, kind)`);
    await queryRunner.query(`ALTER TABLE organization DROP CONSTRAINT organization_parent_fk`);
    await queryRunner.query(
      `ALTER TABLE organization ADD CONSTRAINT organization_parent_fk FOREIGN KEY (alliance_id, parent_anchor_id, parent_kind)
         REFERENCES organization (alliance_id, id, kind) ON DELETE RESTRICT ON UPDATE RESTRICT`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE organization DROP CONSTRAINT organization_parent_fk`);
    await queryRunner.query(`ALTER TABLE organization DROP CONSTRAINT organization_alliance_id_kind_unique`);
    await queryRunner.query(`ALTER TABLE organization DROP COLUMN parent_kind`);
    await queryRunner.query(
      `ALTER TABLE organization ADD CONSTRAINT organization_parent_fk FOREIGN KEY (alliance_id, parent_anchor_id)
         REFERENCES organization (alliance_id, id) ON DELETE RESTRICT`,
    );
  }
}
