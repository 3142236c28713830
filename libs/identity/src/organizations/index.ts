export * from './organization-view';
export * from './organization.service';
