export * from './demo/demo-alliance-seeder.service';
export * from './demo/demo-alliance.data';
export * from './entities';
export * from './identity.module';
export * from './identity.repository';
export * from './alliance-lookup.service';
export * from './passwords/argon2id-parameters.constant';
export * from './sessions';
