export * from './pacing/pacer';
export * from './pacing/pacing-snapshot';
export * from './pacing/pacing-statistics';
