import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  type CampaignChannel,
  type CampaignSettings,
  createPhoneCampaign,
  type DialMode,
  getLineTypeProgress,
  type LineTypeProgress,
  fieldProblemsOf,
  type ManagedCampaign,
  updateCampaign,
} from './campaigns.client';
import { FormError, SubmitButton } from './form-fields';
import { describeRefusal } from './segments.client';
import { problemAt, type TextingDraft, textingDraftOf, TextingSettingsFields, textingSettingsOf } from './texting-settings-fields';

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
  readonly channel: CampaignChannel;
  readonly callerIds: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly contactTarget: string;
  readonly dialMode: DialMode;
  readonly callsPerSecond: string;
  readonly powerLinesPerVolunteer: string;
  readonly maxLinesPerVolunteer: string;
  /** In percent of live answers, as a lead thinks of it; sent as a share. */
  readonly abandonPercent: string;
  readonly identificationMessage: string;
  readonly voicemailMessage: string;
  /** Text campaigns only. */
  readonly texting: TextingDraft;
}

/** Where a new campaign's window starts: a phone bank's hours, or the texting default the server also applies. */
const DEFAULT_WINDOWS: Readonly<Record<CampaignChannel, { readonly start: string; readonly end: string }>> = {
  phone: { start: '09:00', end: '20:30' },
  sms: { start: '09:00', end: '20:00' },
};

/** The database's defaults, for a new campaign. */
const DIALER_DEFAULTS = { callsPerSecond: 1, powerLinesPerVolunteer: 1, maxLinesPerVolunteer: 8, abandonRateTarget: 0.025 };

const DIAL_MODE_HINTS: Readonly<Record<DialMode, string>> = {
  preview: 'Each volunteer sees the voter first and clicks to call.',
  power: 'A call starts for each ready volunteer (or a few, if you allow more lines); mobile and unknown numbers only on a volunteer’s click.',
  predictive:
    'The dialer calls ahead of volunteers from what it learns, and keeps abandoned calls under your target. It dials only landlines by itself; mobile and unknown numbers wait for a clicker’s approval.',
};

function draftOf(campaign: ManagedCampaign | null): SettingsDraft {
  return {
    name: campaign?.name ?? '',
    slug: campaign?.slug ?? '',
    runner: 0,
    channel: campaign?.channel ?? 'phone',
    callerIds: campaign?.callerIds.join('\n') ?? '',
    windowStart: campaign?.callingWindow.start ?? '09:00',
    windowEnd: campaign?.callingWindow.end ?? '20:30',
    startsOn: campaign?.startsOn ?? '',
    endsOn: campaign?.endsOn ?? '',
    contactTarget: campaign?.contactTarget === null || campaign?.contactTarget === undefined ? '' : String(campaign.contactTarget),
    dialMode: campaign?.dialMode ?? 'preview',
    callsPerSecond: String(campaign?.callsPerSecond ?? DIALER_DEFAULTS.callsPerSecond),
    powerLinesPerVolunteer: String(campaign?.powerLinesPerVolunteer ?? DIALER_DEFAULTS.powerLinesPerVolunteer),
    maxLinesPerVolunteer: String(campaign?.maxLinesPerVolunteer ?? DIALER_DEFAULTS.maxLinesPerVolunteer),
    abandonPercent: String(Math.round((campaign?.abandonRateTarget ?? DIALER_DEFAULTS.abandonRateTarget) * 100_000) / 1000),
    identificationMessage: campaign?.identificationMessage ?? '',
    voicemailMessage: campaign?.voicemailMessage ?? '',
    texting: textingDraftOf(campaign),
  };
}

/** A number as typed, or the text itself for the server to refuse naming the field. */
function numberOf(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** The dialer's fields, sent only for power and predictive: a preview campaign keeps whatever was set before. */
function dialerSettingsOf(draft: SettingsDraft): CampaignSettings {
  if (draft.dialMode === 'preview') return { dialMode: draft.dialMode };
  const percent = numberOf(draft.abandonPercent);
  return {
    dialMode: draft.dialMode,
    callsPerSecond: numberOf(draft.callsPerSecond),
    powerLinesPerVolunteer: numberOf(draft.powerLinesPerVolunteer),
    maxLinesPerVolunteer: numberOf(draft.maxLinesPerVolunteer),
    // Rounded so 2.5 % goes as 0.025, not 0.025000000000000001.
    abandonRateTarget: typeof percent === 'number' ? Math.round(percent * 1000) / 100_000 : percent,
    identificationMessage: draft.identificationMessage.trim() === '' ? null : draft.identificationMessage.trim(),
    voicemailMessage: draft.voicemailMessage.trim() === '' ? null : draft.voicemailMessage.trim(),
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
function settingsOf(draft: SettingsDraft): { settings: CampaignSettings & { name: string }; variantKeys: string[]; cannedRows: number[] } {
  const target = draft.contactTarget.trim();
  const common = {
    name: draft.name.trim(),
    callingWindow: { start: draft.windowStart, end: draft.windowEnd },
    startsOn: draft.startsOn === '' ? null : draft.startsOn,
    endsOn: draft.endsOn === '' ? null : draft.endsOn,
    contactTarget: target === '' ? null : /^\d+$/.test(target) ? Number(target) : target,
  };
  if (draft.channel === 'phone')
    return { settings: { ...common, callerIds: callerIdsOf(draft.callerIds), ...dialerSettingsOf(draft) }, variantKeys: [], cannedRows: [] };
  // A text campaign takes no caller ids or dialer settings: the server would refuse them.
  const texting = textingSettingsOf(draft.texting);
  return { ...texting, settings: { ...common, ...texting.settings } };
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
 * A campaign's settings, a phone bank's or a text campaign's (with its texting fields): creating
 * one (its channel, its short name and, for someone who leads several organizations, which one
 * runs it) or changing an existing one. The server checks every field; its refusal is shown as
 * it comes, and on the fields it names.
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
  // The fields the last refusal named, and which rows its list indexes meant when it was sent.
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const [placement, setPlacement] = useState<{ variantKeys: string[]; cannedRows: number[] }>({ variantKeys: [], cannedRows: [] });
  const creating = campaign === null;
  const finished = campaign?.status === 'finished';
  const texts = draft.channel === 'sms';

  const change = (fields: Partial<SettingsDraft>) => {
    setError(null);
    setDraft((current) => ({ ...current, ...fields }));
  };
  const changeTexting = (fields: Partial<TextingDraft>) => change({ texting: { ...draft.texting, ...fields } });
  const chooseChannel = (channel: CampaignChannel) => {
    const untouched = draft.windowStart === DEFAULT_WINDOWS[draft.channel].start && draft.windowEnd === DEFAULT_WINDOWS[draft.channel].end;
    change({ channel, ...(untouched ? { windowStart: DEFAULT_WINDOWS[channel].start, windowEnd: DEFAULT_WINDOWS[channel].end } : {}) });
  };
  const windowProblem = problemAt(problems, 'callingWindow');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setProblems(new Map());
    const { settings, variantKeys, cannedRows } = settingsOf(draft);
    setPlacement({ variantKeys, cannedRows });
    try {
      if (campaign === null) {
        const runner = runners[draft.runner];
        const created = await createPhoneCampaign(draft.slug.trim() || slugOf(draft.name), {
          ...settings,
          channel: draft.channel,
          ...(runners.length > 1 && runner !== undefined ? { organizationId: runner.id } : {}),
        });
        setDraft(draftOf(null));
        onSaved(
          created,
          created.channel === 'sms'
            ? `“${created.name}” is created as a draft. Add its survey questions below if you want answers tagged, then activate it.`
            : `“${created.name}” is created as a draft. Write its script below, then activate it.`,
        );
      } else {
        const updated = await updateCampaign(campaign.id, settings);
        onSaved(updated, `The settings of “${updated.name}” are saved.`);
      }
    } catch (failure) {
      setError(describeRefusal(failure));
      setProblems(fieldProblemsOf(failure));
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
        {creating ? (
          <div className="field">
            <label htmlFor={`${ids}-channel`}>Channel</label>
            <select id={`${ids}-channel`} value={draft.channel} onChange={(event) => chooseChannel(event.target.value as CampaignChannel)}>
              <option value="phone">Phone bank (calls)</option>
              <option value="sms">Text campaign (peer-to-peer texts)</option>
            </select>
          </div>
        ) : (
          <p className="hint field-wide">{texts ? 'A text campaign: volunteers send each first text themselves and answer replies.' : 'A phone bank.'}</p>
        )}
        {!texts && (
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
        )}
        <fieldset className="field-pair">
          <legend>{texts ? 'Texting hours' : 'Calling hours'}</legend>
          <div className="field">
            <label htmlFor={`${ids}-start`}>From</label>
            <input
              id={`${ids}-start`}
              type="time"
              value={draft.windowStart}
              aria-invalid={windowProblem !== null || undefined}
              onChange={(event) => change({ windowStart: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-end`}>To</label>
            <input
              id={`${ids}-end`}
              type="time"
              value={draft.windowEnd}
              aria-invalid={windowProblem !== null || undefined}
              onChange={(event) => change({ windowEnd: event.target.value })}
            />
          </div>
          <p className="hint field-pair-hint">
            In each voter’s own time zone; never before 8:00 AM or after 9:00 PM.{texts && ' A text sent outside them waits until they open.'}
          </p>
          {windowProblem !== null && <p className="field-problem field-pair-hint">{windowProblem}</p>}
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
        {!texts && (
          <div className="field">
            <label htmlFor={`${ids}-dial-mode`}>Dialing</label>
            <select
              id={`${ids}-dial-mode`}
              value={draft.dialMode}
              aria-describedby={`${ids}-dial-mode-hint`}
              onChange={(event) => change({ dialMode: event.target.value as DialMode })}
            >
              <option value="preview">Preview (click to call)</option>
              <option value="power">Power</option>
              <option value="predictive">Predictive</option>
            </select>
            <p id={`${ids}-dial-mode-hint`} className="hint">
              {DIAL_MODE_HINTS[draft.dialMode]}
            </p>
          </div>
        )}
        {!texts && draft.dialMode !== 'preview' && <DialerFields ids={ids} draft={draft} change={change} />}
        {texts && (
          <TextingSettingsFields
            ids={ids}
            draft={draft.texting}
            onChange={changeTexting}
            problems={problems}
            variantKeys={placement.variantKeys}
            cannedRows={placement.cannedRows}
          />
        )}
      </fieldset>
      {campaign !== null && campaign.channel === 'phone' && campaign.dialMode !== 'preview' && <LineTypeSummary campaignId={campaign.id} />}
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

/** The pacing settings and the messages the law asks for, for power and predictive campaigns. */
function DialerFields({ ids, draft, change }: { ids: string; draft: SettingsDraft; change: (fields: Partial<SettingsDraft>) => void }) {
  const predictive = draft.dialMode === 'predictive';
  return (
    <fieldset className="field-wide settings-grid" aria-label="Dialer">
      <legend>Dialer</legend>
      <div className="field">
        <label htmlFor={`${ids}-cps`}>Calls per second</label>
        <input
          id={`${ids}-cps`}
          type="text"
          inputMode="decimal"
          aria-describedby={`${ids}-cps-hint`}
          value={draft.callsPerSecond}
          onChange={(event) => change({ callsPerSecond: event.target.value })}
        />
        <p id={`${ids}-cps-hint`} className="hint">
          This campaign’s share of your carrier account’s rate (Twilio allows 1 a second unless raised); at most 100.
        </p>
      </div>
      {predictive ? (
        <div className="field">
          <label htmlFor={`${ids}-max-lines`}>Most lines per volunteer</label>
          <input
            id={`${ids}-max-lines`}
            type="text"
            inputMode="decimal"
            aria-describedby={`${ids}-max-lines-hint`}
            value={draft.maxLinesPerVolunteer}
            onChange={(event) => change({ maxLinesPerVolunteer: event.target.value })}
          />
          <p id={`${ids}-max-lines-hint`} className="hint">
            A ceiling on how far ahead the dialer may call, 1 to 20.
          </p>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${ids}-power-lines`}>Lines per ready volunteer</label>
          <input
            id={`${ids}-power-lines`}
            type="text"
            inputMode="numeric"
            aria-describedby={`${ids}-power-lines-hint`}
            value={draft.powerLinesPerVolunteer}
            onChange={(event) => change({ powerLinesPerVolunteer: event.target.value })}
          />
          <p id={`${ids}-power-lines-hint`} className="hint">
            1 to 4. Beyond the first, lines go only to landlines and numbers with consent, and may be abandoned.
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${ids}-abandon`}>Abandoned-call target (%)</label>
        <input
          id={`${ids}-abandon`}
          type="text"
          inputMode="decimal"
          aria-describedby={`${ids}-abandon-hint`}
          value={draft.abandonPercent}
          onChange={(event) => change({ abandonPercent: event.target.value })}
        />
        <p id={`${ids}-abandon-hint`} className="hint">
          The law caps abandoned calls (a person answers and no volunteer takes them within 2 seconds) at 3% of answered calls over 30 days. The dialer aims at
          this target, which must be below 3%; 2.5% leaves a margin.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor={`${ids}-identification`}>Identification message{predictive ? '' : ' (optional)'}</label>
        <textarea
          id={`${ids}-identification`}
          rows={2}
          maxLength={500}
          aria-describedby={`${ids}-identification-hint`}
          value={draft.identificationMessage}
          onChange={(event) => change({ identificationMessage: event.target.value })}
        />
        <p id={`${ids}-identification-hint`} className="hint">
          Played to a person no volunteer could take in time. It must name who is calling (your organization) and give a number to call back, for example: “This
          was Fresno Neighbors calling about the election. Call us back at 559-555-0100.” Required for predictive; 10 to 500 characters.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor={`${ids}-voicemail`}>Voicemail message (optional)</label>
        <textarea
          id={`${ids}-voicemail`}
          rows={2}
          maxLength={1000}
          aria-describedby={`${ids}-voicemail-hint`}
          value={draft.voicemailMessage}
          onChange={(event) => change({ voicemailMessage: event.target.value })}
        />
        <p id={`${ids}-voicemail-hint`} className="hint">
          Left on answering machines, 10 to 1,000 characters. Leave it empty to hang up on them.
        </p>
      </div>
    </fieldset>
  );
}

/** How many of the call list's phones the dialer may call by itself, and how far the line-type lookup is. */
function LineTypeSummary({ campaignId }: { campaignId: string }) {
  const [progress, setProgress] = useState<LineTypeProgress | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    // Best effort: the summary is information, and the form works without it.
    getLineTypeProgress(campaignId, controller.signal).then(setProgress, () => undefined);
    return () => controller.abort();
  }, [campaignId]);
  if (progress === null || progress.total === 0) return null;
  const { byLineType } = progress;
  return (
    <p className="hint" aria-live="polite">
      Line types of the {progress.total.toLocaleString()} phones: {byLineType.landline.toLocaleString()} landline (dialed automatically),{' '}
      {byLineType.mobile.toLocaleString()} mobile, {byLineType.voip.toLocaleString()} VoIP, {(byLineType.unknown + byLineType.notKnown).toLocaleString()}{' '}
      unknown (these wait for a volunteer or clicker).
      {progress.pending > 0 ? ` ${progress.pending.toLocaleString()} still being looked up.` : ''}
      {progress.failed > 0 ? ` ${progress.failed.toLocaleString()} could not be looked up.` : ''}
    </p>
  );
}
