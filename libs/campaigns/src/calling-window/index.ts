export * from './calling-window';
export * from './voter-time-zone';
