import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-name.enum';

export const JOB_HANDLER_METADATA = 'crossroads:job-handler';

/** Marks the method that handles one job name. Exactly one per job name, checked when a worker starts. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER_METADATA, name);
