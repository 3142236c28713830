import { setMaxListeners } from 'node:events';

/**
 * An AbortController whose signal any number of in-flight requests may listen to: a busy simulator
 * has hundreds of callbacks in flight on one signal (reset aborts them all), which is by design, not
 * the listener leak Node warns of past ten.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
