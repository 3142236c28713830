import { parentPort, workerData } from 'node:worker_threads';
import { createVoterFileMapper } from '../formats/voter-file-mapper.factory';
import { NewVoterPropensity } from '../normalization/propensity.rule';
import { parseLineBlock } from '../reading/tab-separated-line.reader';
import { LineBatchMapper } from './line-batch.mapper';
import type { LineMappingRequest, LineMappingSetup } from './line-mapping.pool';

// A mapping thread: splits, normalizes and serializes blocks of lines while the main thread
// feeds COPY. The mapper is rebuilt here from the header (mappers hold no shared state).
const setup = workerData as LineMappingSetup;
const mapper = new LineBatchMapper(
  createVoterFileMapper(setup.format, setup.header, { mapping: setup.mapping, asOfYear: new Date(setup.asOf).getUTCFullYear() }),
  new NewVoterPropensity(new Date(setup.asOf)),
);

parentPort?.on('message', (request: LineMappingRequest) => {
  try {
    const batch = mapper.map(parseLineBlock({ bytes: Buffer.from(request.bytes), firstLineNumber: request.firstLineNumber }, mapper.wantedColumns));
    parentPort?.postMessage({ sequence: request.sequence, batch });
  } catch (error) {
    parentPort?.postMessage({ sequence: request.sequence, error: error instanceof Error ? error.message : String(error) });
  }
});
