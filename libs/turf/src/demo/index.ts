export * from './demo-turf.seeder';
