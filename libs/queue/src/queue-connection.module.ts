import { Module } from '@nestjs/common';
import { QueueConnection } from './queue-connection.provider';

/** Its own module so that BullModule's asynchronous root configuration can import the connection. */
@Module({ providers: [QueueConnection], exports: [QueueConnection] })
export class QueueConnectionModule {}
