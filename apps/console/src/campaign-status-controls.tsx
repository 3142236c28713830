import { useEffect, useId, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { type CallListCounts, getCallListCounts, type ManagedCampaign, refreshCallList, setCampaignStatus } from './campaigns.client';
import { formatCount, formatQuantity } from './format';
import { FormError } from './form-fields';
import { describeRefusal } from './segments.client';

export const CAMPAIGN_STATUS_LABELS: Record<ManagedCampaign['status'], string> = {
  draft: 'Draft',
  active: 'Calling open',
  paused: 'Paused',
  finished: 'Finished',
};

export const CAMPAIGN_STATUS_BADGES: Record<ManagedCampaign['status'], string> = {
  draft: 'status-queued',
  active: 'status-succeeded',
  paused: 'status-rejected',
  finished: 'status-queued',
};

type Move = 'active' | 'paused' | 'finished';

/** The moves each status allows (finished is final), with the words for each. */
const MOVES: Record<ManagedCampaign['status'], ReadonlyArray<readonly [Move, string]>> = {
  draft: [
    ['active', 'Activate'],
    ['finished', 'Finish…'],
  ],
  active: [
    ['paused', 'Pause'],
    ['finished', 'Finish…'],
  ],
  paused: [
    ['active', 'Activate again'],
    ['finished', 'Finish…'],
  ],
  finished: [],
};

/**
 * Whether volunteers can call, and how far the list has got: activate (the server checks the
 * campaign can be called and builds its list from the turf assigned for it), pause, finish after
 * a second thought. A refusal is shown in the server's words.
 */
export function CampaignStatusControls({ campaign, onChanged }: { campaign: ManagedCampaign; onChanged: (campaign: ManagedCampaign, notice: string) => void }) {
  const ids = useId();
  const [pending, setPending] = useState<Move | 'refresh' | null>(null);
  const [confirmingFinish, setConfirmingFinish] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<CallListCounts | null>(null);
  const [countsError, setCountsError] = useState<string | null>(null);
  const [countsVersion, setCountsVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getCallListCounts(campaign.id, controller.signal).then(
      (answer) => {
        setCounts(answer);
        setCountsError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setCountsError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [campaign.id, campaign.status, countsVersion]);

  async function move(status: Move) {
    setPending(status);
    setError(null);
    setConfirmingFinish(false);
    try {
      const moved = await setCampaignStatus(campaign.id, status);
      onChanged(moved, `“${moved.name}” is now ${CAMPAIGN_STATUS_LABELS[moved.status].toLowerCase()}.`);
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  async function refresh() {
    setPending('refresh');
    setError(null);
    try {
      const refreshed = await refreshCallList(campaign.id);
      setCounts(refreshed);
      onChanged(campaign, `${formatQuantity(refreshed.added ?? 0, 'phone')} added to the call list of “${campaign.name}”.`);
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(null);
    }
  }

  const moves = MOVES[campaign.status];
  return (
    <div className="stack">
      <div className="status-line">
        <span className={`status-badge ${CAMPAIGN_STATUS_BADGES[campaign.status]}`}>{CAMPAIGN_STATUS_LABELS[campaign.status]}</span>
        {moves.length > 0 && (
          <div className="row-actions">
            {moves.map(([status, label]) => (
              <button
                key={status}
                type="button"
                className={status === 'active' ? undefined : 'secondary'}
                disabled={pending !== null}
                aria-expanded={status === 'finished' ? confirmingFinish : undefined}
                aria-controls={status === 'finished' ? `${ids}-finish` : undefined}
                onClick={() => (status === 'finished' ? setConfirmingFinish((shown) => !shown) : void move(status))}
              >
                {pending === status ? 'Working…' : label}
              </button>
            ))}
          </div>
        )}
      </div>
      {campaign.status === 'finished' && (
        <p className="muted small">Finished campaigns stay as they are: their results are kept and nobody calls in them again.</p>
      )}
      {confirmingFinish && (
        <div id={`${ids}-finish`} className="conflict">
          <p>Finishing is final: nobody can call in “{campaign.name}” again, and its settings and script can no longer change.</p>
          <button type="button" className="danger" onClick={() => void move('finished')} disabled={pending !== null}>
            Finish the campaign
          </button>
          <button type="button" className="secondary" onClick={() => setConfirmingFinish(false)}>
            Keep it
          </button>
        </div>
      )}
      <FormError error={error} />

      <div className="call-list-counts">
        <h4>Call list</h4>
        <FormError error={countsError} onRetry={() => setCountsVersion((count) => count + 1)} />
        {counts === null ? (
          countsError === null && <p className="muted small">Counting…</p>
        ) : counts.total === 0 ? (
          <p className="muted small">
            {campaign.status === 'draft'
              ? 'The list is built when the campaign is activated, from the turf assigned for it.'
              : 'No phones on the list: assign turf for this campaign, then add the new voters.'}
          </p>
        ) : (
          <>
            <dl className="counts">
              <div>
                <dt>Phones on the list</dt>
                <dd>{formatCount(counts.total)}</dd>
              </div>
              <div>
                <dt>Still to call</dt>
                <dd>{formatCount(counts.open)}</dd>
              </div>
              <div>
                <dt>Done</dt>
                <dd>{formatCount(counts.done)}</dd>
              </div>
            </dl>
            <progress max={counts.total} value={counts.done} aria-label="Share of the call list done" />
          </>
        )}
        {(campaign.status === 'active' || campaign.status === 'paused') && (
          <div>
            <button type="button" className="secondary" onClick={() => void refresh()} disabled={pending !== null}>
              {pending === 'refresh' ? 'Adding…' : 'Add newly turfed voters'}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
