import 'reflect-metadata';
import { QueueName } from '@app/queue';
import { runWorker } from '@app/runtime';
import { ImportWorkerModule } from './import-worker.module';
import { ProgressScheduler } from './progress.scheduler';

void runWorker({
  name: 'import-worker',
  // Progress beside imports: an import runs one at a time, and the rollups never wait behind one.
  queues: [QueueName.Imports, QueueName.Progress],
  module: (options) => ImportWorkerModule.forRoot(options),
  afterStart: (app) => app.get(ProgressScheduler).start(),
}).catch((error: unknown) => {
  process.stderr.write(`import-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
