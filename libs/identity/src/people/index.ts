export * from './membership.service';
export * from './person-provisioning.service';
export * from './person-view';
