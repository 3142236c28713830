import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatBytes } from './format';
import { FormError } from './form-fields';
import { uploadVoterFile, VOTER_FILE_FORMATS, type VoterFileFormat, type VoterFileUpload, type VoterImport } from './voter-file.client';

const FORMAT_LABELS: Record<VoterFileFormat, string> = {
  ncvoter: 'North Carolina voter registration (ncvoter)',
  ncvhis: 'North Carolina vote history (ncvhis)',
  ohio: 'Ohio statewide voter file',
  california: 'California voter registration (VRD)',
  generic: 'Other layout, with a column mapping',
};
const DEFAULT_MAX_ERROR_PERCENT = '1';

interface UploadProgress {
  readonly sentBytes: number;
  readonly totalBytes: number;
}

/** Chooses a voter file and its options and sends it, showing how much has been sent. */
export function ImportUploadForm({ onUploaded }: { onUploaded: (voterImport: VoterImport) => void }) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<VoterFileFormat | ''>('');
  const [mappingFile, setMappingFile] = useState<File | null>(null);
  const [fullRefresh, setFullRefresh] = useState(false);
  const [maxErrorPercent, setMaxErrorPercent] = useState(DEFAULT_MAX_ERROR_PERCENT);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const upload = useRef<AbortController | null>(null);

  useEffect(() => () => upload.current?.abort(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const checked = await checkInput();
    if (typeof checked === 'string') {
      setError(checked);
      return;
    }
    setError(null);
    const controller = new AbortController();
    upload.current = controller;
    setProgress({ sentBytes: 0, totalBytes: checked.file.size });
    try {
      const voterImport = await uploadVoterFile(checked, (sentBytes, totalBytes) => setProgress({ sentBytes, totalBytes }), controller.signal);
      onUploaded(voterImport);
      setNotice(`${voterImport.fileName} was uploaded and its import is queued; follow it under Imports.`);
      resetForm();
    } catch (failure) {
      setError(isAbortError(failure) ? 'The upload was cancelled; nothing was imported.' : describeError(failure));
    } finally {
      upload.current = null;
      setProgress(null);
    }
  }

  /** The upload to send, or what is wrong with the form. */
  async function checkInput(): Promise<VoterFileUpload | string> {
    if (file === null) return 'Choose the voter file to upload.';
    const percent = Number(maxErrorPercent);
    if (maxErrorPercent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      return 'The maximum error rate must be a percentage between 0 and 100.';
    }
    let mapping: string | undefined;
    if (format === 'generic') {
      if (mappingFile === null) return 'A file in another layout needs a mapping: choose the JSON file that names the column for each voter field.';
      mapping = await mappingFile.text();
      try {
        JSON.parse(mapping);
      } catch (parseError) {
        return `${mappingFile.name} is not valid JSON: ${parseError instanceof Error ? parseError.message : String(parseError)}`;
      }
    }
    return {
      file,
      format: format === '' ? undefined : format,
      mapping,
      fullRefresh,
      // Five decimals, as the server stores it; avoids sending 0.006999999999999999 for 0.7%.
      maxErrorRate: Number((percent / 100).toFixed(5)),
    };
  }

  function resetForm() {
    setFile(null);
    setFormat('');
    setMappingFile(null);
    setFullRefresh(false);
    setMaxErrorPercent(DEFAULT_MAX_ERROR_PERCENT);
    // File inputs cannot be cleared through state; a new key gives fresh ones.
    setFormKey((key) => key + 1);
  }

  const uploading = progress !== null;
  const sentPercent = progress === null || progress.totalBytes === 0 ? 0 : Math.min(100, Math.round((progress.sentBytes / progress.totalBytes) * 100));

  return (
    <>
      <form key={formKey} className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-file`}>Voter file</label>
          <input
            id={`${ids}-file`}
            type="file"
            accept=".txt,.csv,.tsv,.gz"
            disabled={uploading}
            aria-describedby={`${ids}-file-hint`}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <p id={`${ids}-file-hint`} className="hint">
            {file === null ? 'Text, CSV or tab-separated, plain or gzipped (.gz). Any size.' : `${file.name}, ${formatBytes(file.size)}`}
          </p>
        </div>

        <div className="field">
          <label htmlFor={`${ids}-format`}>Format</label>
          <select id={`${ids}-format`} value={format} disabled={uploading} onChange={(event) => setFormat(event.target.value as VoterFileFormat | '')}>
            <option value="">Detect automatically</option>
            {VOTER_FILE_FORMATS.map((name) => (
              <option key={name} value={name}>
                {FORMAT_LABELS[name]}
              </option>
            ))}
          </select>
        </div>

        {format === 'generic' && (
          <div className="field">
            <label htmlFor={`${ids}-mapping`}>Column mapping (JSON)</label>
            <input
              id={`${ids}-mapping`}
              type="file"
              accept=".json,application/json"
              disabled={uploading}
              aria-describedby={`${ids}-mapping-hint`}
              onChange={(event) => setMappingFile(event.target.files?.[0] ?? null)}
            />
            <p id={`${ids}-mapping-hint`} className="hint">
              Names the file&rsquo;s column for each voter field.
            </p>
          </div>
        )}

        <div className="checkbox">
          <input id={`${ids}-full`} type="checkbox" checked={fullRefresh} disabled={uploading} onChange={(event) => setFullRefresh(event.target.checked)} />
          <label htmlFor={`${ids}-full`}>Full refresh (mark voters missing from this file inactive)</label>
        </div>

        <div className="field field-narrow">
          <label htmlFor={`${ids}-rate`}>Maximum error rate (%)</label>
          <input
            id={`${ids}-rate`}
            type="number"
            inputMode="decimal"
            min={0}
            max={100}
            step="any"
            value={maxErrorPercent}
            disabled={uploading}
            aria-describedby={`${ids}-rate-hint`}
            onChange={(event) => setMaxErrorPercent(event.target.value)}
          />
          <p id={`${ids}-rate-hint`} className="hint">
            Refuse the whole file when more than this share of its lines cannot be read.
          </p>
        </div>

        <div className="actions">
          <button type="submit" disabled={uploading}>
            {uploading ? 'Uploading…' : 'Upload and import'}
          </button>
          {uploading && (
            <button type="button" className="secondary" onClick={() => upload.current?.abort()}>
              Cancel upload
            </button>
          )}
        </div>

        {progress !== null && (
          <div className="upload-progress">
            <progress max={100} value={sentPercent} aria-labelledby={`${ids}-sent`} />
            <p id={`${ids}-sent`}>
              {sentPercent < 100
                ? `Uploading: ${sentPercent}% (${formatBytes(progress.sentBytes)} of ${formatBytes(progress.totalBytes)})`
                : 'Uploaded; waiting for the server to accept the file…'}
            </p>
          </div>
        )}

        <FormError error={error} />
      </form>
      {/* Live regions stay mounted (outside the form, which is replaced on reset) so that changes are announced. */}
      <p role="status" className="visually-hidden">
        {progress === null ? '' : `Uploading, ${Math.floor(sentPercent / 10) * 10}% sent`}
      </p>
      <p role="status" className="form-notice">
        {notice}
      </p>
    </>
  );
}
