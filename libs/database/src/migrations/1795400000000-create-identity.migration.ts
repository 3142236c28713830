import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1795400000000 implements MigrationInterface {
  name = 'CreateIdentity1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alliance (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        voter_contact_goal integer NOT NULL DEFAULT 500000 CHECK (voter_contact_goal >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE TYPE organization_kind AS ENUM ('anchor', 'member')`);
    await queryRunner.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        kind organization_kind NOT NULL,
        parent_anchor_id uuid,
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        region_counties text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_alliance_slug_unique UNIQUE (alliance_id, slug),
        -- lets children reference (alliance_id, id) so nothing links across alliances
        CONSTRAINT organization_alliance_id_unique UNIQUE (alliance_id, id),
        CONSTRAINT organization_parent_fk FOREIGN KEY (alliance_id, parent_anchor_id)
          REFERENCES organization (alliance_id, id) ON DELETE RESTRICT,
        CONSTRAINT organization_kind_parent_check CHECK (
          (kind = 'anchor' AND parent_anchor_id IS NULL)
          OR (kind = 'member' AND parent_anchor_id IS NOT NULL AND cardinality(region_counties) = 0)
        )
      )`);
    await queryRunner.query(`CREATE INDEX organization_parent_anchor_idx ON organization (parent_anchor_id) WHERE parent_anchor_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE TYPE membership_role AS ENUM ('alliance_admin', 'anchor_lead', 'org_lead', 'data_lead', 'volunteer')`);
    await queryRunner.query(`
      CREATE TABLE membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        alliance_id uuid NOT NULL REFERENCES alliance (id) ON DELETE CASCADE,
        organization_id uuid,
        role membership_role NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_organization_fk FOREIGN KEY (alliance_id, organization_id)
          REFERENCES organization (alliance_id, id) ON DELETE CASCADE,
        CONSTRAINT membership_unique UNIQUE NULLS NOT DISTINCT (user_id, alliance_id, organization_id, role),
        CONSTRAINT membership_scope_check CHECK (
          organization_id IS NOT NULL OR role IN ('alliance_admin', 'data_lead')
        )
      )`);
    await queryRunner.query(`CREATE INDEX membership_organization_idx ON membership (organization_id)`);
    await queryRunner.query(`CREATE INDEX membership_alliance_idx ON membership (alliance_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE membership`);
    await queryRunner.query(`DROP TYPE membership_role`);
    await queryRunner.query(`DROP TABLE app_user`);
    await queryRunner.query(`DROP TABLE organization`);
    await queryRunner.query(`DROP TYPE organization_kind`);
    await queryRunner.query(`DROP TABLE alliance`);
  }
}
