import 'reflect-metadata';
import { QueueName } from '@app/queue';
import { runWorker } from '@app/runtime';
import { SmsSweepScheduler } from './sms-sweep.scheduler';
import { SmsWorkerModule } from './sms-worker.module';

void runWorker({
  name: 'sms-worker',
  queues: [QueueName.Sms],
  module: (options) => SmsWorkerModule.forRoot(options),
  afterStart: (app) => app.get(SmsSweepScheduler).start(),
}).catch((error: unknown) => {
  process.stderr.write(`sms-worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
