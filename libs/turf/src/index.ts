export * from './precinct-split.util';
export * from './turf-assignment.repository';
export * from './turf-assignment.service';
export * from './turf-filter';
export * from './turf.module';
export * from './turf.repository';
export * from './turf.service';
export * from './demo';
