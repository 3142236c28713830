import { parentPort, workerData } from 'node:worker_threads';
import { createVoterFileMapper } from '../formats/voter-file-mapper.factory';
import { NewVoterPropensity } from '../normalization/propensity.rule';
import { LineBatchMapper } from './line-batch.mapper';
import type { LineMappingRequest, LineMappingSetup } from './line-mapping.pool';

// A mapping thread: splits, normalizes and serializes blocks of lines while the main thread
// feeds COPY. The mapper is rebuilt here from the header (mappers hold no shared state).
const setup = workerData as LineMappingSetup;
const mapper = new LineBatchMapper(
  createVoterFileMapper(setup.format, setup.header, { mapping: setup.mapping, asOfYear: new Date(setup.asOf).getUTCFullYear() }),
  new NewVoterPropensity(new Date(setup.asOf)),
);

const encoder = new TextEncoder();

parentPort?.on('message', (request: LineMappingRequest) => {
  try {
    const batch = mapper.mapBlock({ bytes: Buffer.from(request.bytes), firstLineNumber: request.firstLineNumber });
    // Encoded here (where still text) and transferred: the main thread neither copies the text nor keeps it on its heap.
    const voters = typeof batch.voters === 'string' ? encoder.encode(batch.voters) : batch.voters;
    const history = typeof batch.history === 'string' ? encoder.encode(batch.history) : batch.history;
    parentPort?.postMessage({ sequence: request.sequence, batch: { ...batch, voters, history } }, [
      voters.buffer as ArrayBuffer,
      history.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort?.postMessage({ sequence: request.sequence, error: error instanceof Error ? error.message : String(error) });
  }
});
