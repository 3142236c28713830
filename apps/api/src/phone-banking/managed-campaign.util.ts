import type { CampaignRecord, CampaignService } from '@app/campaigns';
import { type AccessPolicyService, type Authorization, Permission, type SignedInUser } from '@app/identity';
import { authorizeForRecord } from '../auth/record-authorization';

/**
 * A campaign and the caller's standing to manage it, for every route about one campaign's settings
 * and figures: a campaign of another alliance answers as a missing one.
 */
export async function managedCampaign(
  policy: AccessPolicyService,
  campaigns: CampaignService,
  user: SignedInUser,
  campaignId: string,
): Promise<{ authorization: Authorization; campaign: CampaignRecord }> {
  const campaign = await campaigns.findById(campaignId);
  const authorization = await authorizeForRecord(
    policy,
    user,
    { what: 'Campaign', id: campaignId, allianceId: campaign.allianceId },
    Permission.ManageCampaigns,
  );
  return { authorization, campaign };
}
