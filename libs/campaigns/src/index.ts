export * from './call-list';
export * from './calling-window';
export * from './campaign-actor';
export * from './campaign-settings';
export * from './campaign.repository';
export * from './campaign.service';
export * from './campaigns.module';
