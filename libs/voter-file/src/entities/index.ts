export * from './voter-import.entity';
export * from './voter-import-error.entity';
