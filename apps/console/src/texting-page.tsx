import { useCallback, useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { listManagedCampaigns } from './campaigns.client';
import { formatCallingHours } from './format';
import { FormError } from './form-fields';
import { hrefOf } from './navigation';
import { mayUse } from './roles';
import { useSession } from './session-context';
import { TextingConversation } from './texting-conversation';
import { TextingInbox, type InboxLists } from './texting-inbox';
import { SendInitials } from './texting-initials';
import { INBOX_REFRESH_MS, usePolled } from './texting-shared';
import { listConversations, listTextableCampaigns } from './texting.client';
import { usePageVisible } from './use-page-visible';

/** A text campaign as the texter picks it: its name and texting hours. */
interface TextCampaign {
  readonly id: string;
  readonly name: string;
  readonly callingWindow: { readonly start: string; readonly end: string };
}

/**
 * The active text campaigns the person can text in (the textable list), and for leads the active text
 * campaigns of their organizations.
 */
function useTextCampaigns(): { campaigns: readonly TextCampaign[] | null; error: string | null; reload: () => void } {
  const { memberships } = useSession();
  const leads = mayUse(memberships, 'campaigns');
  const [campaigns, setCampaigns] = useState<readonly TextCampaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const callable = listTextableCampaigns(controller.signal).then((answer) => answer.campaigns);
    const managed = leads
      ? listManagedCampaigns(controller.signal).then((answer) =>
          answer.campaigns.filter((campaign) => campaign.channel === 'sms' && campaign.status === 'active'),
        )
      : Promise.resolve([]);
    Promise.all([callable, managed]).then(
      ([open, led]) => {
        const byId = new Map<string, TextCampaign>();
        for (const campaign of [...open, ...led]) byId.set(campaign.id, { id: campaign.id, name: campaign.name, callingWindow: campaign.callingWindow });
        setCampaigns([...byId.values()]);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt, leads]);

  return { campaigns, error, reload: useCallback(() => setAttempt((count) => count + 1), []) };
}

/**
 * Peer-to-peer texting for a volunteer (or a lead taking a shift): choose a text campaign, then
 * send each first text with one key press and answer the replies. `campaignId` comes from the
 * link a lead hands out (`#/texting/<campaign>`); without one the page lists the campaigns.
 */
export function TextingPage({ campaignId }: { campaignId: string | null }) {
  const { campaigns, error, reload } = useTextCampaigns();
  const campaign = campaignId === null ? null : (campaigns?.find((each) => each.id === campaignId) ?? null);

  return (
    <div className="page texting-page">
      <header className="page-header">
        {campaignId !== null && (
          <p className="small">
            <a href={hrefOf('texting')}>← Text campaigns</a>
          </p>
        )}
        <h1>{campaign === null ? 'Texting' : `Texting: ${campaign.name}`}</h1>
        <p className="lede">
          {campaignId === null
            ? 'Choose a text campaign. You send each first text yourself, one key press each, then answer the voters who write back.'
            : `Texts go out only inside texting hours${campaign === null ? '' : ` (${formatCallingHours(campaign.callingWindow)})`}, in each voter’s own time; a text sent outside them is held until they open.`}
        </p>
      </header>
      {campaignId === null ? (
        <CampaignChoice campaigns={campaigns} error={error} reload={reload} />
      ) : (
        <TextingWorkspace key={campaignId} campaignId={campaignId} />
      )}
    </div>
  );
}

function CampaignChoice({ campaigns, error, reload }: { campaigns: readonly TextCampaign[] | null; error: string | null; reload: () => void }) {
  const ids = useId();
  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Text campaigns open to you</h2>
      <FormError error={error} onRetry={reload} />
      {campaigns === null ? (
        error === null && <p className="muted">Loading text campaigns…</p>
      ) : campaigns.length === 0 ? (
        <p className="muted">No text campaign is listed for you right now. If your organization sent you a texting link, open it to start.</p>
      ) : (
        <ul className="campaign-choices">
          {campaigns.map((campaign) => (
            <li key={campaign.id} className="campaign-choice-card">
              <div>
                <h3>{campaign.name}</h3>
                <p className="muted small">Texting hours {formatCallingHours(campaign.callingWindow)}, in each voter’s own time</p>
              </div>
              <a className="button-link primary-link" href={hrefOf('textingCampaign', campaign.id)}>
                Start texting<span className="visually-hidden"> in {campaign.name}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The first page of each list the inbox shows: the replies waiting first, a full page of them. */
function loadInbox(campaignId: string) {
  return async (signal: AbortSignal): Promise<InboxLists> => {
    const [needsResponse, messaged, closed] = await Promise.all([
      listConversations(campaignId, 'needs_response', { limit: 100 }, signal),
      listConversations(campaignId, 'messaged', { limit: 50 }, signal),
      listConversations(campaignId, 'closed', { limit: 50 }, signal),
    ]);
    return { needsResponse, messaged, closed };
  };
}

/**
 * The texter's screen in one campaign: the first texts to send on the left above the inbox, and
 * the open conversation on the right. The inbox is read every few seconds, so replies show up
 * without reloading.
 */
function TextingWorkspace({ campaignId }: { campaignId: string }) {
  const visible = usePageVisible();
  const inbox = usePolled(loadInbox(campaignId), INBOX_REFRESH_MS, visible);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { refresh } = inbox;

  const nextReply = inbox.data?.needsResponse.items.find((item) => item.id !== selectedId) ?? null;

  return (
    <div className="texting-layout">
      <div className="texting-side">
        <SendInitials campaignId={campaignId} onSent={refresh} />
        <TextingInbox lists={inbox.data} error={inbox.error} selectedId={selectedId} onSelect={setSelectedId} visible={visible} />
      </div>
      {selectedId === null ? (
        <section className="panel texting-conversation quiet-panel" aria-label="Conversation">
          <h2>Replies</h2>
          <p className="muted">
            {inbox.data !== null && inbox.data.needsResponse.items.length > 0
              ? 'Voters are waiting for your answer: open the first one in “Needs a reply”.'
              : 'When a voter writes back, their reply appears under “Needs a reply”. Open it to read the conversation and answer.'}
          </p>
        </section>
      ) : (
        <TextingConversation
          key={selectedId}
          conversationId={selectedId}
          visible={visible}
          onChanged={refresh}
          onNext={nextReply === null ? null : () => setSelectedId(nextReply.id)}
        />
      )}
    </div>
  );
}
