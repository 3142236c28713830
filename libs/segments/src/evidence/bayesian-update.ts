/**
 * P(segment | model, answers) ∝ P(segment | model) · Π P(answer | segment): each answer is
 * treated as independent of the voter-file attributes given the segment. A segment a question
 * does not mention is left as it was (likelihood 1 for every answer). Should the answers rule out
 * every segment the model allows, the prior stands: contradictory answers teach us nothing.
 */
export function posteriorOf(prior: ArrayLike<number>, segmentKeys: readonly string[], evidence: ReadonlyArray<Readonly<Record<string, number>>>): Float64Array {
  const posterior = Float64Array.from(prior);
  for (const likelihoods of evidence) {
    let total = 0;
    const updated = new Float64Array(posterior.length);
    for (let index = 0; index < segmentKeys.length; index += 1) {
      // Own keys only: a segment named like an Object property (`constructor`) is data, not a prototype lookup.
      const key = segmentKeys[index];
      updated[index] = posterior[index] * (Object.hasOwn(likelihoods, key) ? likelihoods[key] : 1);
      total += updated[index];
    }
    if (total > 0) for (let index = 0; index < updated.length; index += 1) posterior[index] = updated[index] / total;
  }
  return posterior;
}
