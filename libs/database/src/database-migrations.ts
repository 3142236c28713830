import { CreateIdentity1795400000000 } from './migrations/1795400000000-create-identity.migration';
import { CreateQueueProbe1795400000001 } from './migrations/1795400000001-create-queue-probe.migration';
import { RequireAnchorParent1795400000002 } from './migrations/1795400000002-require-anchor-parent.migration';
import { CreateVoterFile1795400000003 } from './migrations/1795400000003-create-voter-file.migration';
import { DropUnattachedVoterPartitionIndexes1795400000004 } from './migrations/1795400000004-drop-unattached-voter-partition-indexes.migration';
import { CreateUserSession1795400000005 } from './migrations/1795400000005-create-user-session.migration';
import { CreateTurfAndRowSecurity1795400000006 } from './migrations/1795400000006-create-turf-and-row-security.migration';
import { CreateInvitationAndPasswordReset1795400000007 } from './migrations/1795400000007-create-invitation-and-password-reset.migration';
import { AddTurfVoterPlace1795400000008 } from './migrations/1795400000008-add-turf-voter-place.migration';
import { CreateSegments1795400000009 } from './migrations/1795400000009-create-segments.migration';
import { CreatePhoneBanking1795400000010 } from './migrations/1795400000010-create-phone-banking.migration';
import { ScopeVotersToCallingSession1795400000011 } from './migrations/1795400000011-scope-voters-to-calling-session.migration';
import { LeasedHouseholdAsArray1795400000012 } from './migrations/1795400000012-leased-household-as-array.migration';
import { CreateDialer1795400000013 } from './migrations/1795400000013-create-dialer.migration';
import { AddLineTypeLookup1795400000014 } from './migrations/1795400000014-add-line-type-lookup.migration';
import { IndexDialerLeases1795400000015 } from './migrations/1795400000015-index-dialer-leases.migration';
import { AddDialerSeenAt1795400000016 } from './migrations/1795400000016-add-dialer-seen-at.migration';
import { CreateTexting1795400000017 } from './migrations/1795400000017-create-texting.migration';
import { CreateProgress1795400000018 } from './migrations/1795400000018-create-progress.migration';
import { QueueProgressOptOuts1795400000019 } from './migrations/1795400000019-queue-progress-opt-outs.migration';
import { ScopeProgressReads1795400000020 } from './migrations/1795400000020-scope-progress-reads.migration';
import { FoldReachBuckets1795400000021 } from './migrations/1795400000021-fold-reach-buckets.migration';
import { RollUpVolunteerTime1795400000022 } from './migrations/1795400000022-roll-up-volunteer-time.migration';

/** In order. Committed migrations are never edited: add a new one. */
export const DATABASE_MIGRATIONS = [
  CreateIdentity1795400000000,
  CreateQueueProbe1795400000001,
  RequireAnchorParent1795400000002,
  CreateVoterFile1795400000003,
  DropUnattachedVoterPartitionIndexes1795400000004,
  CreateUserSession1795400000005,
  CreateTurfAndRowSecurity1795400000006,
  CreateInvitationAndPasswordReset1795400000007,
  AddTurfVoterPlace1795400000008,
  CreateSegments1795400000009,
  CreatePhoneBanking1795400000010,
  ScopeVotersToCallingSession1795400000011,
  LeasedHouseholdAsArray1795400000012,
  CreateDialer1795400000013,
  AddLineTypeLookup1795400000014,
  IndexDialerLeases1795400000015,
  AddDialerSeenAt1795400000016,
  CreateTexting1795400000017,
  CreateProgress1795400000018,
  QueueProgressOptOuts1795400000019,
  ScopeProgressReads1795400000020,
  FoldReachBuckets1795400000021,
  RollUpVolunteerTime1795400000022,
];
