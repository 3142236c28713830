/** A policy broke the `decide` contract (asked for more leads than the snapshot offered, or not a whole count): a bug in the policy. */
export class PolicyContractError extends Error {
  override readonly name = 'PolicyContractError';
}
