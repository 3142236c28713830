import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { ServiceEndpoints } from './service-endpoints';

@Global()
@Module({})
export class ConfigModule {
  /** The config is loaded before Nest starts (so a bad one exits 1 early) and handed in here. */
  static forRoot(config: AppConfig, endpoints: ServiceEndpoints): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ServiceEndpoints, useValue: endpoints },
      ],
      exports: [AppConfig, ServiceEndpoints],
    };
  }
}
