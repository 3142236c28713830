/**
 * A PostgreSQL or Redis this process uses. `stop` shuts down an embedded or local server once no
 * other process is connected to it (whoever leaves last turns it off); a server given by URL, or
 * the one answering on 127.0.0.1:6379, is never stopped.
 */
export interface LocalService {
  readonly url: string;
  /** True when this process started the server, false when it found it running or was given it. */
  readonly startedHere: boolean;
  stop(): Promise<void>;
}
