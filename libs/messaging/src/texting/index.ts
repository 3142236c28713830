// The texter's and lead's texting services (assignment batches, initial texts, replies, inbox, stats).
export * from './texter-conversation.repository';
export * from './texter.service';
export * from './texting-assignment.repository';
export * from './texting-cursor.util';
export * from './texting-message.renderer';
export * from './texting-stats.repository';
export * from './texting-stats.service';
export * from './texting.exception';
export * from './texting.module';
