export * from './campaign.repository';
export * from './campaign.service';
export * from './campaigns.module';
