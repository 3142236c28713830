import 'reflect-metadata';
import { QueueName } from '@app/queue';
import { runWorker } from '@app/runtime';
import { DialerWorkerModule } from './dialer-worker.module';
import { PacingSweepScheduler } from './pacing-sweep.scheduler';

void runWorker({
  name: 'dialer-worker',
  queues: [QueueName.Dialer],
  module: (options) => DialerWorkerModule.forRoot(options),
  afterStart: (app) => app.get(PacingSweepScheduler).start(),
}).catch((error: unknown) => {
  process.stderr.write(`dialer-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
