import { DomainErrorCode, DomainException, NotFoundDomainException } from '@app/common';
import type { AccessPolicyService, Authorization, Permission, SignedInUser } from '@app/identity';

/**
 * Authorizes a request about one record (an import, a turf) in the record's own alliance. A
 * record of an alliance the user does not belong to answers exactly as a missing one would.
 */
export async function authorizeForRecord(
  policy: AccessPolicyService,
  user: SignedInUser,
  record: { readonly what: string; readonly id: string; readonly allianceId: string },
  permission: Permission,
): Promise<Authorization> {
  try {
    return await policy.authorize(user, { id: record.allianceId }, permission);
  } catch (error) {
    if (error instanceof DomainException && error.code === DomainErrorCode.NotFound) throw new NotFoundDomainException(record.what, record.id);
    throw error;
  }
}
