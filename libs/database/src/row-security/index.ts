export * from './database-role.enum';
export * from './row-access-scope';
export * from './row-scope.runner';
