import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { formatCount, formatDateTime } from './format';
import { FormError } from './form-fields';
import { EvaluationView, ExplanationView, PollSummaryView } from './segment-evaluation';
import type { SegmentLookup } from './segment-swatch';
import {
  applySegmentModel,
  getSegmentApplication,
  getSegmentModel,
  isApplying,
  isTraining,
  type SegmentApplication,
  type SegmentModel,
  type SegmentModelStatus,
  segmentExportUrl,
} from './segments.client';

const POLL_INTERVAL_MS = 1000;

const STATUS_LABELS: Record<SegmentModelStatus, string> = { queued: 'Queued', training: 'Training', ready: 'Ready', failed: 'Failed' };
// The import badges' colours: waiting, working, done, broken.
const STATUS_CLASSES: Record<SegmentModelStatus, string> = {
  queued: 'status-queued',
  training: 'status-running',
  ready: 'status-succeeded',
  failed: 'status-failed',
};
const KIND_LABELS = { rules: 'Rules', trained: 'Trained' } as const;

export function ModelStatusBadge({ status }: { status: SegmentModelStatus }) {
  return <span className={`status-badge ${STATUS_CLASSES[status] ?? ''}`}>{STATUS_LABELS[status] ?? status}</span>;
}

/** Every model version, newest first; choosing one shows it below. */
export function SegmentModelList({
  models,
  selectedId,
  onSelect,
}: {
  models: readonly SegmentModel[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  if (models.length === 0) return <p className="muted">No models yet. Save rules above, or train one from a values poll.</p>;
  return (
    <div className="table-scroll model-list">
      <table>
        <caption className="visually-hidden">Segment models, newest first; choose one to see it</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => {
            const selected = model.id === selectedId;
            return (
              <tr key={model.id} className={selected ? 'selected-row' : undefined}>
                <td className="nowrap">v{model.version}</td>
                <th scope="row">
                  <button type="button" className="link-button model-choice" aria-pressed={selected} onClick={() => onSelect(model.id)}>
                    {model.name}
                  </button>
                  {model.active && <span className="active-badge">Active</span>}
                </th>
                <td>{KIND_LABELS[model.kind] ?? model.kind}</td>
                <td>
                  <ModelStatusBadge status={model.status} />
                </td>
                <td className="nowrap small">{formatDateTime(model.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The model fetched by itself (with its explanation), again every second while it trains. A
 * failed refresh is reported and, while training, retried on the next tick.
 */
function useSegmentModel(id: string, onFetched: (model: SegmentModel) => void): { model: SegmentModel | null; error: string | null; refresh: () => void } {
  const [model, setModel] = useState<SegmentModel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // Whether the last copy was training: only then is a failed refresh retried by itself.
  const training = useRef(false);
  const notify = useRef(onFetched);
  notify.current = onFetched;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      timer = setTimeout(() => setTick((count) => count + 1), POLL_INTERVAL_MS);
    };
    getSegmentModel(id, controller.signal).then(
      (fresh) => {
        setModel(fresh);
        setError(null);
        notify.current(fresh);
        training.current = isTraining(fresh);
        if (training.current) again();
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        setError(training.current ? `The model could not be refreshed: ${describeError(failure)} Retrying every second.` : describeError(failure));
        if (training.current) again();
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id, tick]);

  return { model, error, refresh: useCallback(() => setTick((count) => count + 1), []) };
}

/** The later of two snapshots of runs: the one being followed is fresher than the model's copy of the same run. */
function newestApplication(followed: SegmentApplication | null, fromModel: SegmentApplication | null): SegmentApplication | null {
  if (followed === null) return fromModel;
  if (fromModel === null || fromModel.id === followed.id) return followed;
  return fromModel.createdAt > followed.createdAt ? fromModel : followed;
}

/** One model: its state, its results, what it reads into voters, and (for data leads) applying it. */
export function SegmentModelDetail({
  modelId,
  lookup,
  segmentOrder,
  mayEdit,
  onChanged,
  onApplied,
}: {
  modelId: string;
  lookup: SegmentLookup;
  /** The current taxonomy's segment keys, in its order, for lists of a model not yet evaluated. */
  segmentOrder: readonly string[];
  mayEdit: boolean;
  /** Each fresh copy of the model, to keep the list in step. */
  onChanged: (model: SegmentModel) => void;
  /** A run finished (succeeded or failed): which model is active may have changed. */
  onApplied: (application: SegmentApplication) => void;
}) {
  const ids = useId();
  const { model, error, refresh } = useSegmentModel(modelId, onChanged);
  const [followed, setFollowed] = useState<SegmentApplication | null>(null);
  const [applyError, setApplyError] = useState<string | null>(null);
  const [progressError, setProgressError] = useState<string | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [applyTick, setApplyTick] = useState(0);
  const finished = useRef(onApplied);
  finished.current = onApplied;

  const application = model === null ? followed : newestApplication(followed?.modelId === model.id ? followed : null, model.latestApplication);
  const runningId = application !== null && isApplying(application) ? application.id : null;

  useEffect(() => {
    if (runningId === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      getSegmentApplication(runningId, controller.signal).then(
        (fresh) => {
          setFollowed(fresh);
          setProgressError(null);
          if (isApplying(fresh)) setApplyTick((count) => count + 1);
          else {
            refresh();
            finished.current(fresh);
          }
        },
        (failure: unknown) => {
          if (isAbortError(failure)) return;
          setProgressError(`Progress could not be refreshed: ${describeError(failure)} Retrying every second.`);
          setApplyTick((count) => count + 1);
        },
      );
    }, POLL_INTERVAL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [runningId, applyTick, refresh]);

  async function apply() {
    if (model === null) return;
    setRequesting(true);
    setApplyError(null);
    try {
      setFollowed(await applySegmentModel(model.id));
    } catch (failure) {
      setApplyError(describeError(failure));
    } finally {
      setRequesting(false);
    }
  }

  if (model === null) {
    return error === null ? (
      <p className="muted" role="status">
        Loading the model…
      </p>
    ) : (
      <FormError error={error} onRetry={refresh} />
    );
  }

  // A run followed here to success made the model active, before the refreshed model says so.
  const active = model.active || (followed !== null && followed.id === application?.id && followed.status === 'succeeded');
  const applied = active || application?.status === 'succeeded';
  return (
    <article className="model-detail" aria-labelledby={`${ids}-title`}>
      <header className="model-detail-header">
        <h3 id={`${ids}-title`}>
          v{model.version}: {model.name}
        </h3>
        <div className="badges">
          <ModelStatusBadge status={model.status} />
          {active && <span className="active-badge">Active</span>}
        </div>
      </header>
      <p className="muted small">
        {model.kind === 'rules' ? 'Rule model' : 'Trained model'} · created {formatDateTime(model.createdAt)}
        {model.trainingSeconds !== null && ` · trained in ${model.trainingSeconds.toFixed(1)} s`}
      </p>
      <FormError error={error} />

      <TrainingState model={model} />

      {mayEdit && model.status === 'ready' && (
        <section className="apply-box" aria-labelledby={`${ids}-apply`}>
          <h4 id={`${ids}-apply`}>Apply</h4>
          <ApplicationProgress application={application} active={active} />
          <FormError error={progressError} />
          <div className="actions">
            {!isApplying(application) && (
              <button type="button" disabled={requesting} onClick={apply}>
                {requesting ? 'Starting…' : 'Apply to every voter'}
              </button>
            )}
            {applied && !isApplying(application) && (
              <a className="button-link secondary" href={segmentExportUrl(model.id)} download>
                Download segments (CSV)
              </a>
            )}
          </div>
          {!isApplying(application) && (
            <p className="hint">
              {active
                ? 'This model is active. Applying it again classifies every voter afresh, with what conversations have told us since.'
                : 'Classifies every active voter with this model and makes it the active one, whose segments volunteers see.'}
            </p>
          )}
          <FormError error={applyError} />
        </section>
      )}
      {!mayEdit && application !== null && isApplying(application) && <ApplicationProgress application={application} active={active} />}

      {model.poll !== null && (
        <section aria-labelledby={`${ids}-poll`}>
          <h4 id={`${ids}-poll`}>Poll</h4>
          <PollSummaryView poll={model.poll} lookup={lookup} order={model.evaluation?.segments ?? segmentOrder} />
        </section>
      )}

      {model.evaluation !== null && (
        <section aria-labelledby={`${ids}-evaluation`}>
          <h4 id={`${ids}-evaluation`}>Evaluation</h4>
          <EvaluationView evaluation={model.evaluation} version={model.version} lookup={lookup} />
        </section>
      )}

      {model.explanation !== undefined && (
        <section aria-labelledby={`${ids}-explanation`}>
          <h4 id={`${ids}-explanation`}>{model.kind === 'rules' ? 'The rules in words' : 'What the model reads into voters'}</h4>
          {model.kind === 'trained' && (
            <p className="muted small">Effects are per standard deviation of each feature, against the average segment, in log-odds.</p>
          )}
          <ExplanationView explanation={model.explanation} lookup={lookup} />
        </section>
      )}
    </article>
  );
}

function TrainingState({ model }: { model: SegmentModel }) {
  const labelId = useId();
  const training = isTraining(model);
  return (
    <>
      {training && (
        <div className="upload-progress">
          <progress aria-labelledby={labelId} />
          <p id={labelId}>
            {model.status === 'queued' ? 'Queued: waiting for a worker to train it.' : 'Training: fitting the model and cross-validating it against the poll…'}
          </p>
        </div>
      )}
      {model.status === 'failed' && <p className="result-message result-failed">{model.errorMessage ?? 'Training failed; upload the poll again.'}</p>}
      {/* Stays mounted while the model is shown, so the change from training to ready is announced. */}
      <p role="status" className="visually-hidden">
        {training
          ? `Model v${model.version} is ${model.status}.`
          : model.status === 'ready' && model.kind === 'trained'
            ? `Model v${model.version} is trained.`
            : ''}
      </p>
    </>
  );
}

function ApplicationProgress({ application, active }: { application: SegmentApplication | null; active: boolean }) {
  const labelId = useId();
  const total = application?.votersTotal ?? null;
  const done = application === null ? 0 : application.status === 'succeeded' ? (total ?? application.votersDone) : application.votersDone;
  const percent = total === null || total === 0 ? 0 : Math.min(100, Math.round((done / total) * 100));
  let words = '';
  let announcement = '';
  switch (application?.status) {
    case 'queued':
      words = 'Queued: waiting for a worker to start the run.';
      announcement = words;
      break;
    case 'running':
      words = total === null ? 'Starting…' : `Applying: ${formatCount(done)} of ${formatCount(total)} voters (${percent}%).`;
      // In tens of percent, not at every tick.
      announcement = `Applying, ${Math.floor(percent / 10) * 10}% done.`;
      break;
    case 'succeeded':
      words = `Done: ${formatCount(done)} voters classified${application.seconds === null ? '' : ` in ${application.seconds.toFixed(1)} s`}. ${active ? 'This model is active.' : 'Another model has been applied since.'}`;
      announcement = words;
      break;
    case 'failed':
      words = application.errorMessage ?? 'The run failed; nothing changed. Apply the model again.';
      announcement = `The run failed: ${words}`;
      break;
  }
  const waiting = application?.status === 'queued' || (application?.status === 'running' && total === null);
  return (
    <>
      {application !== null && (
        <div className="upload-progress application-progress">
          {waiting ? (
            <progress aria-labelledby={labelId} />
          ) : (
            application.status !== 'failed' && <progress max={100} value={percent} aria-labelledby={labelId} aria-valuetext={`${percent}%`} />
          )}
          <p id={labelId} className={application.status === 'failed' ? 'result-message result-failed' : undefined}>
            {words}
          </p>
        </div>
      )}
      {/* Mounted before any run starts, so that the first change is announced too. */}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </>
  );
}
