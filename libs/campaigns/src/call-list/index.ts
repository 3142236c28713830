export * from './call-list.repository';
export * from './call-list.service';
