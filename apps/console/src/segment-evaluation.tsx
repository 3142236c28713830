import { formatCount } from './format';
import { SegmentLabel, type SegmentLookup } from './segment-swatch';
import type { ClassificationReport, ModelExplanation, PollSummary, SegmentModelEvaluation } from './segments.client';

const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

function percentOf(share: number): string {
  return PERCENT.format(share);
}

/** How the poll's rows met the voter file. `order` lists segment keys in the taxonomy's order. */
export function PollSummaryView({ poll, lookup, order }: { poll: PollSummary; lookup: SegmentLookup; order: readonly string[] }) {
  const counts: Array<[string, number]> = [
    ['Rows', poll.rows],
    ['Matched active voters', poll.matched],
    ['Unmatched', poll.unmatched],
    ['Inactive voters', poll.inactive],
  ];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const segments = Object.entries(poll.bySegment).sort(([left], [right]) => rank(left) - rank(right));
  return (
    <div className="stack">
      <p className="muted small">
        From <strong>{poll.fileName}</strong>. Unmatched and inactive rows are kept with the model but not trained on.
      </p>
      <dl className="counts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      {poll.unmatchedExamples.length > 0 && (
        <p className="small">
          Voter ids with no voter, for example:{' '}
          {poll.unmatchedExamples.map((id, index) => (
            <span key={id}>
              {index > 0 && ', '}
              <code>{id}</code>
            </span>
          ))}
        </p>
      )}
      {segments.length > 0 && (
        <ul className="segment-tally" aria-label="Respondents per segment">
          {segments.map(([key, respondents]) => (
            <li key={key}>
              <SegmentLabel look={lookup(key)} /> <strong className="numeric">{formatCount(respondents)}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The model next to what it has to beat, its confusion matrix and its calibration. */
export function EvaluationView({ evaluation, version, lookup }: { evaluation: SegmentModelEvaluation; version: number; lookup: SegmentLookup }) {
  const { model, baseline, rules } = evaluation;
  const gain = model.accuracy - baseline.accuracy;
  const rows: Array<{ name: string; report: ClassificationReport; own: boolean }> = [
    { name: `This model (v${version})`, report: model, own: true },
    { name: 'Always the most common segment (baseline)', report: baseline, own: false },
  ];
  if (rules !== null) rows.push({ name: `Rule model v${rules.version}: ${rules.name}`, report: rules.report, own: false });

  return (
    <div className="stack">
      <p className={gain > 0 ? 'verdict verdict-good' : 'verdict verdict-poor'}>
        {gain > 0
          ? `The model places ${percentOf(model.accuracy)} of respondents in the segment they gave, against ${percentOf(baseline.accuracy)} for always guessing the most common segment (${(gain * 100).toFixed(1)} points better).`
          : `The model does no better than always guessing the most common segment (${percentOf(model.accuracy)} against ${percentOf(baseline.accuracy)}); a larger poll may help.`}
      </p>
      <div className="table-scroll">
        <table className="evaluation-table">
          <caption className="table-caption">
            Cross-validated on {formatCount(evaluation.respondents)} respondents ({evaluation.folds} folds): each one scored by a model that never saw them.
            Higher accuracy and macro-F1 are better; lower log-loss is better.
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="numeric">
                Accuracy
              </th>
              <th scope="col" className="numeric">
                Macro-F1
              </th>
              <th scope="col" className="numeric">
                Log-loss
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} className={row.own ? 'own-row' : undefined}>
                <th scope="row">{row.name}</th>
                <td className="numeric">{percentOf(row.report.accuracy)}</td>
                <td className="numeric">{row.report.macroF1.toFixed(3)}</td>
                <td className="numeric">{row.report.logLoss === null ? <span className="muted">none (hard calls)</span> : row.report.logLoss.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfusionMatrix report={model} segments={evaluation.segments} lookup={lookup} />
      {model.calibration.length > 0 && <CalibrationTable report={model} />}
    </div>
  );
}

/** Rows: the segment respondents gave; columns: the one the model called. The diagonal is right. */
function ConfusionMatrix({ report, segments, lookup }: { report: ClassificationReport; segments: readonly string[]; lookup: SegmentLookup }) {
  const looks = segments.map((key) => lookup(key));
  return (
    <div className="table-scroll">
      <table className="confusion-matrix">
        <caption className="table-caption">
          Confusion matrix: each row is the segment respondents gave, each column the segment the model predicted. The shading is the share of the row.
        </caption>
        <thead>
          <tr>
            <th scope="col">Actual \ Predicted</th>
            {looks.map((look) => (
              <th key={look.key} scope="col" className="numeric wrap-header">
                <SegmentLabel look={look} />
              </th>
            ))}
            <th scope="col" className="numeric">
              Respondents
            </th>
            <th scope="col" className="numeric">
              Recall
            </th>
          </tr>
        </thead>
        <tbody>
          {looks.map((look, actual) => {
            const row = report.confusionMatrix[actual] ?? [];
            const total = row.reduce((sum, count) => sum + count, 0);
            return (
              <tr key={look.key}>
                <th scope="row">
                  <SegmentLabel look={look} />
                </th>
                {looks.map((predictedLook, predicted) => {
                  const count = row[predicted] ?? 0;
                  const share = total === 0 ? 0 : count / total;
                  return (
                    <td
                      key={predictedLook.key}
                      className={`numeric matrix-cell${actual === predicted ? ' matrix-diagonal' : ''}${share > 0.55 ? ' matrix-dark' : ''}`}
                      style={{ background: `rgb(47 91 211 / ${(share * 0.85).toFixed(3)})` }}
                    >
                      {formatCount(count)}
                    </td>
                  );
                })}
                <td className="numeric">{formatCount(total)}</td>
                <td className="numeric">{report.perClass[actual] === undefined ? '' : percentOf(report.perClass[actual].recall)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Whether "70% sure" means right 70% of the time. */
function CalibrationTable({ report }: { report: ClassificationReport }) {
  return (
    <div className="table-scroll">
      <table className="calibration-table">
        <caption className="table-caption">
          Calibration: respondents grouped by how sure the model was of its call, and how often it was right. Close figures mean its probabilities can be taken
          at their word.
        </caption>
        <thead>
          <tr>
            <th scope="col">Model&rsquo;s confidence</th>
            <th scope="col" className="numeric">
              Mean predicted
            </th>
            <th scope="col" className="numeric">
              Observed right
            </th>
            <th scope="col" className="numeric">
              Respondents
            </th>
          </tr>
        </thead>
        <tbody>
          {report.calibration.map((bin) => (
            <tr key={bin.from}>
              <th scope="row" className="nowrap">
                {Math.round(bin.from * 100)}–{Math.round(bin.to * 100)}%
              </th>
              <td className="numeric">{percentOf(bin.meanPredicted)}</td>
              <td className="numeric">{percentOf(bin.observedRate)}</td>
              <td className="numeric">{formatCount(bin.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the model reads into voters, in words. */
export function ExplanationView({ explanation, lookup }: { explanation: ModelExplanation; lookup: SegmentLookup }) {
  if (explanation.kind === 'rules') {
    return (
      <ol className="rule-words-list">
        {explanation.rules.map((rule) => (
          // The API numbers the rules itself ("1. …"); the list gives the order to screen readers.
          <li key={rule}>{rule.replace(/^\d+\.\s*/, '')}</li>
        ))}
      </ol>
    );
  }
  return (
    <ul className="explanation-list">
      {explanation.segments.map((segment) => {
        const look = lookup(segment.segment);
        return (
          <li key={segment.segment} className="explanation-card" style={{ borderTopColor: look.colour }}>
            <h5>
              <SegmentLabel look={{ ...look, name: segment.name }} />
            </h5>
            <p>{segment.sentence}</p>
            <div className="weight-columns">
              <WeightList title="More likely" weights={segment.moreLikely} />
              <WeightList title="Less likely" weights={segment.lessLikely} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function WeightList({ title, weights }: { title: string; weights: ModelExplanation['segments'][number]['moreLikely'] }) {
  return (
    <div>
      <p className="weight-title">{title}</p>
      {weights.length === 0 ? (
        <p className="muted small">Nothing notable.</p>
      ) : (
        <ul className="weight-list">
          {weights.map((weight) => (
            <li key={weight.feature}>
              <span>{weight.label}</span>
              <span className="numeric muted">
                {weight.effect > 0 ? '+' : '−'}
                {Math.abs(weight.effect).toFixed(2)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
