export * from './pacing/pacer';
export * from './pacing/pacing-snapshot';
export * from './pacing/pacing-statistics';
export * from './pacing/pacing-defaults.constant';
export * from './pacing-snapshot/dialer-snapshot.repository';
export * from './pacing-snapshot/pacing-statistics.store';
