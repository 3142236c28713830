import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatBytes } from './format';
import { FormError, SubmitButton } from './form-fields';
import { type SegmentModel, uploadValuesPoll } from './segments.client';

/** Sends a values poll to train a model from; the model then trains as a job the page follows. */
export function SegmentPollUploadForm({ onUploaded }: { onUploaded: (model: SegmentModel) => void }) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const upload = useRef<AbortController | null>(null);

  useEffect(() => () => upload.current?.abort(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    if (file === null) {
      setError('Choose the poll file to upload: a CSV with a voter_id,segment header.');
      document.getElementById(`${ids}-file`)?.focus();
      return;
    }
    const controller = new AbortController();
    upload.current = controller;
    setUploading(true);
    setError(null);
    try {
      const model = await uploadValuesPoll(file, name.trim() === '' ? null : name.trim(), controller.signal);
      onUploaded(model);
      setNotice(`${file.name} was accepted: model v${model.version} is queued to train. Its results appear below as soon as it is ready.`);
      setFile(null);
      setName('');
      // File inputs cannot be cleared through state; a new key gives a fresh one.
      setFormKey((key) => key + 1);
    } catch (failure) {
      if (!isAbortError(failure)) setError(describeError(failure));
    } finally {
      upload.current = null;
      setUploading(false);
    }
  }

  return (
    <>
      <form key={formKey} className="stack" aria-label="Train a model from a poll" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-file`}>Values poll (CSV)</label>
          <input
            id={`${ids}-file`}
            type="file"
            accept=".csv,text/csv"
            disabled={uploading}
            aria-describedby={`${ids}-file-hint`}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setError(null);
            }}
          />
          <p id={`${ids}-file-hint`} className="hint">
            {file === null ? (
              <>
                A <code>voter_id,segment</code> header, then one respondent per line: the voter file&rsquo;s voter id and a segment key.
              </>
            ) : (
              `${file.name}, ${formatBytes(file.size)}`
            )}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-name`}>Model name (optional)</label>
          <input
            id={`${ids}-name`}
            type="text"
            maxLength={200}
            autoComplete="off"
            placeholder={file === null ? '' : `Trained on ${file.name}`}
            disabled={uploading}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="actions">
          <SubmitButton pending={uploading} label="Upload and train" pendingLabel="Uploading…" />
        </div>
        <FormError error={error} />
      </form>
      {/* Outside the form, which is replaced after each upload, so that the change is announced. */}
      <p role="status" className="form-notice">
        {notice}
      </p>
    </>
  );
}
