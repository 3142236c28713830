import { type FormEvent, useId, useState } from 'react';
import { type CampaignSettings, createPhoneCampaign, type ManagedCampaign, updateCampaign } from './campaigns.client';
import { FormError, SubmitButton } from './form-fields';
import { describeRefusal } from './segments.client';

/** An organization a new campaign may run for; null id for an alliance-wide program. */
export interface RunnerChoice {
  readonly id: string | null;
  readonly name: string;
}

interface SettingsDraft {
  readonly name: string;
  readonly slug: string;
  /** The index of the chosen runner. */
  readonly runner: number;
  readonly callerIds: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly contactTarget: string;
}

function draftOf(campaign: ManagedCampaign | null): SettingsDraft {
  return {
    name: campaign?.name ?? '',
    slug: campaign?.slug ?? '',
    runner: 0,
    callerIds: campaign?.callerIds.join('\n') ?? '',
    windowStart: campaign?.callingWindow.start ?? '09:00',
    windowEnd: campaign?.callingWindow.end ?? '20:30',
    startsOn: campaign?.startsOn ?? '',
    endsOn: campaign?.endsOn ?? '',
    contactTarget: campaign?.contactTarget === null || campaign?.contactTarget === undefined ? '' : String(campaign.contactTarget),
  };
}

/** Numbers as typed, one per line or separated by commas; the server checks each and names the wrong one. */
function callerIdsOf(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((each) => each.trim())
    .filter((each) => each !== '');
}

/**
 * What the form sends. A target that is not a whole number goes as typed, for the server to
 * refuse naming the field, rather than the console guessing what was meant.
 */
function settingsOf(draft: SettingsDraft): CampaignSettings & { name: string } {
  const target = draft.contactTarget.trim();
  return {
    name: draft.name.trim(),
    callerIds: callerIdsOf(draft.callerIds),
    callingWindow: { start: draft.windowStart, end: draft.windowEnd },
    startsOn: draft.startsOn === '' ? null : draft.startsOn,
    endsOn: draft.endsOn === '' ? null : draft.endsOn,
    contactTarget: target === '' ? null : /^\d+$/.test(target) ? Number(target) : target,
  };
}

export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

/**
 * A phone campaign's settings: creating one (with its short name and, for someone who leads
 * several organizations, which one runs it) or changing an existing one. The server checks every
 * field and its refusal is shown as it comes.
 */
export function CampaignSettingsForm({
  campaign,
  runners = [],
  onSaved,
}: {
  /** Null to create a campaign. */
  campaign: ManagedCampaign | null;
  /** For a new campaign: who may run it; offered only when there is a choice. */
  runners?: readonly RunnerChoice[];
  onSaved: (campaign: ManagedCampaign, notice: string) => void;
}) {
  const ids = useId();
  const [draft, setDraft] = useState(() => draftOf(campaign));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const creating = campaign === null;
  const finished = campaign?.status === 'finished';

  const change = (fields: Partial<SettingsDraft>) => {
    setError(null);
    setDraft((current) => ({ ...current, ...fields }));
  };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const settings = settingsOf(draft);
      if (campaign === null) {
        const runner = runners[draft.runner];
        const created = await createPhoneCampaign(draft.slug.trim() || slugOf(draft.name), {
          ...settings,
          ...(runners.length > 1 && runner !== undefined ? { organizationId: runner.id } : {}),
        });
        setDraft(draftOf(null));
        onSaved(created, `“${created.name}” is created as a draft. Write its script below, then activate it.`);
      } else {
        const updated = await updateCampaign(campaign.id, settings);
        onSaved(updated, `The settings of “${updated.name}” are saved.`);
      }
    } catch (failure) {
      setError(describeRefusal(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={creating ? 'New campaign' : `Settings of ${campaign.name}`}>
      <fieldset className="settings-grid" disabled={finished}>
        <legend className="visually-hidden">{creating ? 'New campaign' : 'Settings'}</legend>
        <div className="field">
          <label htmlFor={`${ids}-name`}>Campaign name</label>
          <input id={`${ids}-name`} type="text" maxLength={200} value={draft.name} onChange={(event) => change({ name: event.target.value })} />
        </div>
        {creating && (
          <div className="field">
            <label htmlFor={`${ids}-slug`}>Short name</label>
            <input
              id={`${ids}-slug`}
              type="text"
              maxLength={63}
              placeholder={slugOf(draft.name)}
              aria-describedby={`${ids}-slug-hint`}
              value={draft.slug}
              onChange={(event) => change({ slug: event.target.value })}
            />
            <p id={`${ids}-slug-hint`} className="hint">
              Lower-case letters, digits and dashes; it cannot change later.
            </p>
          </div>
        )}
        {creating && runners.length > 1 && (
          <div className="field">
            <label htmlFor={`${ids}-runner`}>Run by</label>
            <select id={`${ids}-runner`} value={draft.runner} onChange={(event) => change({ runner: Number(event.target.value) })}>
              {runners.map((runner, index) => (
                <option key={runner.id ?? 'alliance'} value={index}>
                  {runner.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field field-wide">
          <label htmlFor={`${ids}-caller-ids`}>Caller ids</label>
          <textarea
            id={`${ids}-caller-ids`}
            rows={2}
            value={draft.callerIds}
            aria-describedby={`${ids}-caller-ids-hint`}
            onChange={(event) => change({ callerIds: event.target.value })}
          />
          <p id={`${ids}-caller-ids-hint`} className="hint">
            The numbers calls come from, one per line, such as +14155550123. A voter always sees the same one.
          </p>
        </div>
        <fieldset className="field-pair">
          <legend>Calling hours</legend>
          <div className="field">
            <label htmlFor={`${ids}-start`}>From</label>
            <input id={`${ids}-start`} type="time" value={draft.windowStart} onChange={(event) => change({ windowStart: event.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-end`}>To</label>
            <input id={`${ids}-end`} type="time" value={draft.windowEnd} onChange={(event) => change({ windowEnd: event.target.value })} />
          </div>
          <p className="hint field-pair-hint">In each voter’s own time zone; never before 8:00 AM or after 9:00 PM.</p>
        </fieldset>
        <fieldset className="field-pair">
          <legend>Dates (optional)</legend>
          <div className="field">
            <label htmlFor={`${ids}-starts`}>Starts on</label>
            <input id={`${ids}-starts`} type="date" value={draft.startsOn} onChange={(event) => change({ startsOn: event.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-ends`}>Ends on</label>
            <input id={`${ids}-ends`} type="date" value={draft.endsOn} onChange={(event) => change({ endsOn: event.target.value })} />
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${ids}-target`}>Conversations to reach (optional)</label>
          <input
            id={`${ids}-target`}
            type="text"
            inputMode="numeric"
            value={draft.contactTarget}
            onChange={(event) => change({ contactTarget: event.target.value })}
          />
        </div>
      </fieldset>
      <FormError error={error} />
      {!finished && (
        <div className="actions">
          <SubmitButton
            pending={pending}
            disabled={draft.name.trim() === ''}
            label={creating ? 'Create campaign' : 'Save settings'}
            pendingLabel={creating ? 'Creating…' : 'Saving…'}
          />
        </div>
      )}
    </form>
  );
}
