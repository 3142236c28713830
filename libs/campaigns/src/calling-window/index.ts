export * from './calling-window';
export * from './open-zones.cache';
export * from './voter-time-zone';
