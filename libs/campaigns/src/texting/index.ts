export * from './texting-settings';
