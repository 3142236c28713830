export * from './classification-metrics';
export * from './cross-validation';
export * from './lbfgs.optimizer';
export * from './softmax-model';
export * from './softmax-regression.trainer';
export * from './training-data';
