export * from './access-policy.service';
export * from './authorization';
export * from './permission.enum';
export * from './role-permissions.constant';
