export * from './audit-log.repository';
export * from './audit-log.service';
