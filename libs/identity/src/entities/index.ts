export * from './alliance.entity';
export * from './app-user.entity';
export * from './membership-role.enum';
export * from './membership.entity';
export * from './organization-kind.enum';
export * from './organization.entity';
