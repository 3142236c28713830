import 'reflect-metadata';
import { QueueName } from '@app/queue';
import { runWorker } from '@app/runtime';
import { ImportWorkerModule } from './import-worker.module';

void runWorker({ name: 'import-worker', queues: [QueueName.Imports], module: (options) => ImportWorkerModule.forRoot(options) }).catch((error: unknown) => {
  process.stderr.write(`import-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
