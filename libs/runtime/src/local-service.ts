/** A service this process found running (and must leave alone) or started (and must stop). */
export interface LocalService {
  readonly url: string;
  readonly startedHere: boolean;
  stop(): Promise<void>;
}
