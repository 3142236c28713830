export * from './values-truth.model';
export * from './synthetic-values-poll.generator';
