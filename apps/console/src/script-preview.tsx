import type { ScriptStep } from './calling.client';

/**
 * A script as a volunteer would read it to the sample voter: every step in the order a call meets
 * them, what each asks, and where each answer leads, so a lead can check the branches by eye.
 */
export function ScriptPreviewSteps({ steps, segmentName }: { steps: readonly ScriptStep[]; segmentName: (key: string) => string }) {
  const titles = new Map(steps.map((step) => [step.stepId, step.title]));
  const titleOf = (stepId: string) => titles.get(stepId) ?? stepId;
  return (
    <ol className="preview-steps">
      {steps.map((step) => {
        const choiceLabel = (answer: string) => step.question?.choices.find((choice) => choice.value === answer)?.label ?? answer;
        return (
          <li key={step.stepId} className="preview-step">
            <h4>
              {step.title} <code className="muted small">{step.stepId}</code>
            </h4>
            {step.variantSegmentKey !== null && <p className="variant-note">Worded for {segmentName(step.variantSegmentKey)}</p>}
            <p className="script-text">{step.text}</p>
            {step.question !== null && (
              <div className="preview-question">
                <p>
                  <span className="strong">Asks:</span> {step.question.prompt}
                </p>
                {step.question.choices.length === 0 ? (
                  <p className="muted small">Free-text answer</p>
                ) : (
                  <ul className="preview-choices" aria-label="Answers">
                    {step.question.choices.map((choice) => (
                      <li key={choice.value}>{choice.label}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <p className="preview-route">
              {step.branches.map((branch) => (
                <span key={branch.answer}>
                  {choiceLabel(branch.answer)} → {titleOf(branch.next)}
                  {'; '}
                </span>
              ))}
              {step.next === null
                ? step.branches.length > 0
                  ? 'otherwise the call ends'
                  : 'The call ends here'
                : `${step.branches.length > 0 ? 'otherwise' : 'Then'} → ${titleOf(step.next)}`}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
