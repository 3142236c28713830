import { AllianceEntity, AppUserEntity, MembershipEntity, OrganizationEntity } from '@app/identity/entities';
import { QueueProbeEntity } from '@app/queue/probe/queue-probe.entity';

/** Listed explicitly (no globs) so bundling and renaming can never drop one silently. */
export const DATABASE_ENTITIES = [AllianceEntity, OrganizationEntity, AppUserEntity, MembershipEntity, QueueProbeEntity];
