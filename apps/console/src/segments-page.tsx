import { useCallback, useEffect, useMemo, useState } from 'react';
import { describeError, isAbortError } from './api.client';
import { FormError } from './form-fields';
import { mayUse } from './roles';
import { useSession } from './session-context';
import { SegmentDistributionSection } from './segment-distribution';
import { SegmentModelDetail, SegmentModelList } from './segment-models';
import { SegmentPollUploadForm } from './segment-poll-upload';
import { SegmentRulesEditor } from './segment-rules-editor';
import { segmentLookupOf } from './segment-swatch';
import { SegmentTaxonomySection } from './segment-taxonomy';
import { getTaxonomy, isRuleDefinition, listSegmentModels, type SegmentModel, type SegmentTaxonomy } from './segments.client';

/** The alliance's taxonomy, fetched once and replaced by each saved version. */
function useTaxonomy(): { taxonomy: SegmentTaxonomy | null; error: string | null; reload: () => void; replace: (taxonomy: SegmentTaxonomy) => void } {
  const [taxonomy, setTaxonomy] = useState<SegmentTaxonomy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getTaxonomy(controller.signal).then(
      (answer) => {
        setTaxonomy(answer);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return { taxonomy, error, reload: useCallback(() => setAttempt((count) => count + 1), []), replace: setTaxonomy };
}

/** The alliance's models, newest first; single models are put back in as they change (trained, applied). */
function useSegmentModels(): {
  models: readonly SegmentModel[] | null;
  error: string | null;
  reload: () => void;
  upsert: (model: SegmentModel) => void;
} {
  const [models, setModels] = useState<readonly SegmentModel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listSegmentModels(controller.signal).then(
      (answer) => {
        setModels(answer.models);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbortError(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const upsert = useCallback((model: SegmentModel) => {
    setModels((current) => {
      if (current === null) return current;
      const known = current.some((each) => each.id === model.id);
      // An active model makes every other one inactive.
      const others = model.active ? current.map((each) => (each.id !== model.id && each.active ? { ...each, active: false } : each)) : current;
      return known ? others.map((each) => (each.id === model.id ? model : each)) : [model, ...others];
    });
  }, []);

  return { models, error, reload: useCallback(() => setAttempt((count) => count + 1), []), upsert };
}

/**
 * The alliance's values segments: the taxonomy, rule and trained models with their evaluation,
 * applying one to every voter, and where the segments fall. Data leads and alliance admins edit;
 * anchor and organization leads read.
 */
export function SegmentsPage() {
  const { memberships } = useSession();
  const mayEdit = mayUse(memberships, 'segmentEditing');
  const { taxonomy, error: taxonomyError, reload: reloadTaxonomy, replace: replaceTaxonomy } = useTaxonomy();
  const { models, error: modelsError, reload: reloadModels, upsert } = useSegmentModels();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const lookup = useMemo(() => segmentLookupOf(taxonomy), [taxonomy]);
  const segmentOrder = useMemo(() => taxonomy?.segments.map((segment) => segment.key) ?? [], [taxonomy]);

  const activeModel = models?.find((model) => model.active) ?? null;
  const selected = models?.find((model) => model.id === chosenId) ?? activeModel ?? models?.[0] ?? null;
  const newestRules = models?.find((model) => model.kind === 'rules' && isRuleDefinition(model.definition)) ?? null;
  // The chosen model once it has been applied; otherwise the one volunteers see.
  const chartedModel = selected !== null && (selected.active || selected.latestApplication?.status === 'succeeded') ? selected : activeModel;

  // A model just saved or uploaded is what the person wants to look at next.
  const adopt = useCallback(
    (model: SegmentModel) => {
      upsert(model);
      setChosenId(model.id);
    },
    [upsert],
  );

  return (
    <div className="page segments-page">
      <header className="page-header">
        <h1>Segments</h1>
        <p className="lede">
          {mayEdit
            ? 'Define the values segments, build rule models or train one from a poll, check how well each does, and apply one to every voter.'
            : 'The values segments, the models that place voters in them, how well each does, and where the segments fall among your voters.'}
        </p>
      </header>

      <section className="panel" aria-labelledby="taxonomy-title">
        <h2 id="taxonomy-title">Taxonomy</h2>
        <FormError error={taxonomyError} onRetry={reloadTaxonomy} />
        {taxonomy === null ? (
          taxonomyError === null && <p className="muted">Loading the segments…</p>
        ) : (
          <SegmentTaxonomySection taxonomy={taxonomy} lookup={lookup} mayEdit={mayEdit} onSaved={replaceTaxonomy} />
        )}
      </section>

      {mayEdit && (
        <section className="panel" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          {taxonomy === null || models === null ? (
            taxonomyError === null && modelsError === null && <p className="muted">Loading…</p>
          ) : (
            <SegmentRulesEditor
              // A new taxonomy version changes the segments rules may name: start again from it.
              key={taxonomy.id}
              taxonomy={taxonomy}
              lookup={lookup}
              startingModel={newestRules}
              onSaved={adopt}
            />
          )}
        </section>
      )}

      <section className="panel models-panel" aria-labelledby="models-title">
        <h2 id="models-title">Models</h2>
        <FormError error={modelsError} onRetry={reloadModels} />
        <div className={mayEdit ? 'models-layout' : 'stack'}>
          {models === null ? (
            modelsError === null && <p className="muted">Loading models…</p>
          ) : (
            <SegmentModelList models={models} selectedId={selected?.id ?? null} onSelect={setChosenId} />
          )}
          {mayEdit && (
            <section className="sub-panel" aria-labelledby="poll-title">
              <h3 id="poll-title">Train from a values poll</h3>
              <SegmentPollUploadForm onUploaded={adopt} />
            </section>
          )}
        </div>
        {selected !== null && (
          <SegmentModelDetail
            key={selected.id}
            modelId={selected.id}
            lookup={lookup}
            segmentOrder={segmentOrder}
            mayEdit={mayEdit}
            onChanged={upsert}
            onApplied={reloadModels}
          />
        )}
      </section>

      <section className="panel" aria-labelledby="distribution-title">
        <h2 id="distribution-title">Distribution</h2>
        {chartedModel === null ? (
          models !== null && <p className="muted">No model has been applied yet. Apply one above to see where its segments fall.</p>
        ) : (
          <SegmentDistributionSection
            model={chartedModel}
            taxonomy={taxonomy}
            lookup={lookup}
            refreshKey={`${chartedModel.latestApplication?.id ?? ''}:${chartedModel.latestApplication?.status ?? ''}:${chartedModel.active}`}
          />
        )}
      </section>
    </div>
  );
}
