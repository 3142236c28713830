import { AllianceEntity, AppUserEntity, MembershipEntity, OrganizationEntity } from '@app/identity/entities';
import { QueueProbeEntity } from '@app/queue/probe/queue-probe.entity';
import { VoterImportEntity, VoterImportErrorEntity } from '@app/voter-file/entities';

/** Listed explicitly (no globs) so bundling and renaming can never drop one silently. */
export const DATABASE_ENTITIES = [
  AllianceEntity,
  OrganizationEntity,
  AppUserEntity,
  MembershipEntity,
  QueueProbeEntity,
  VoterImportEntity,
  VoterImportErrorEntity,
];
