import { setTimeout as sleep } from 'node:timers/promises';
import type { SignedInAgent } from '@app/testing';

/** What a volunteer records for a voter the dialer put through to them. */
export type VolunteerDisposition = 'contacted' | 'refused' | 'not_home';

/** One conversation as the volunteer lived it: the lease they saved and what they chose. */
export interface SavedConversation {
  readonly leaseId: string;
  readonly callId: string | null;
  readonly disposition: VolunteerDisposition;
}

interface SessionBody {
  readonly id: string;
  readonly dialerState: 'ready' | 'talking' | 'wrap-up' | null;
}

interface NextBody {
  readonly kind: 'card' | 'none';
  readonly reason?: string;
  readonly card?: { readonly leaseId: string; readonly call: { readonly id: string; readonly status: string } | null };
}

/** A response the loop did not expect: kept, not thrown, so one odd answer is reported with the rest at the end. */
export interface VolunteerProblem {
  readonly at: string;
  readonly status: number;
  readonly body: unknown;
}

/**
 * A volunteer at the console, over HTTP as a signed-in user: ready → poll for the next voter →
 * when the dialer puts one through, wait for the call to end (the session goes to wrap-up) →
 * save a disposition and be ready again; until told to stop, then leave the dialer and end the
 * session. Dispositions follow a fixed rotation, so a run is reproducible: mostly conversations,
 * some refusals, and some "not home" (a relative answered), which the retry policy calls again.
 */
export class SimulatedVolunteer {
  readonly conversations: SavedConversation[] = [];
  readonly problems: VolunteerProblem[] = [];
  private sessionId: string | undefined;
  private stopping = false;
  private halted = false;
  private loop: Promise<void> | undefined;

  constructor(
    readonly user: SignedInAgent,
    private readonly campaignId: string,
    private readonly index: number,
    private readonly pollMs = 100,
  ) {}

  get session(): string | undefined {
    return this.sessionId;
  }

  /** Starts the session, clicks Ready, and runs the loop in the background. */
  async start(): Promise<void> {
    const started = await this.post('/api/calling-sessions', { campaignId: this.campaignId });
    if (started.status !== 201) throw new Error(`volunteer ${this.index} could not start a session: ${started.status} ${JSON.stringify(started.body)}`);
    this.sessionId = (started.body as SessionBody).id;
    const ready = await this.post(`/api/calling-sessions/${this.sessionId}/dialer-state`, { state: 'ready' });
    if (ready.status !== 200) throw new Error(`volunteer ${this.index} could not be ready: ${ready.status} ${JSON.stringify(ready.body)}`);
    this.loop = this.run();
  }

  /** Finishes the conversation in hand (if any), leaves the dialer and ends the session. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    const id = this.sessionId;
    if (id === undefined) return;
    await this.post(`/api/calling-sessions/${id}/dialer-state`, { state: 'not-ready' });
    const ended = await this.post(`/api/calling-sessions/${id}/status`, { status: 'ended' });
    if (ended.status !== 200) this.problems.push({ at: 'end session', status: ended.status, body: ended.body });
  }

  /** Drops everything at once (a failed test's clean-up): no more requests, nothing saved. */
  async halt(): Promise<void> {
    this.stopping = true;
    this.halted = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const id = this.sessionId!;
    while (!this.stopping) {
      const next = await this.post(`/api/calling-sessions/${id}/next`, {});
      if (next.status !== 200) {
        // An api restart or a Redis blip: note it and carry on, as a person would click again.
        this.problems.push({ at: 'next', status: next.status, body: next.body });
        await sleep(this.pollMs * 5);
        continue;
      }
      const body = next.body as NextBody;
      if (body.kind !== 'card' || body.card === undefined) {
        await sleep(this.pollMs);
        continue;
      }
      await this.finishConversation(id, body.card.leaseId, body.card.call?.id ?? null);
    }
  }

  /** The voter is on the line: wait for them to hang up (the carrier's end event puts the session in wrap-up), then save. */
  private async finishConversation(sessionId: string, leaseId: string, callId: string | null): Promise<void> {
    // Generous: the carrier's end event may wait for a restarted worker, or for the sweep to redrive it (30 s).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const session = await this.get(`/api/calling-sessions/${sessionId}`);
      if (session.status === 200 && (session.body as SessionBody).dialerState !== 'talking') break;
      if (this.halted) return;
      if (Date.now() > deadline) {
        this.problems.push({ at: `call of lease ${leaseId} still talking after 120 s`, status: session.status, body: session.body });
        return;
      }
      await sleep(this.pollMs);
    }
    const disposition = this.dispositionFor(this.conversations.length);
    const saved = await this.post(`/api/calling-sessions/${sessionId}/dispositions`, { leaseId, disposition, answers: [], readyForNext: true });
    if (saved.status !== 200) {
      this.problems.push({ at: `disposition of lease ${leaseId}`, status: saved.status, body: saved.body });
      return;
    }
    this.conversations.push({ leaseId, callId, disposition });
  }

  private dispositionFor(conversation: number): VolunteerDisposition {
    const turn = (conversation + this.index) % 6;
    return turn === 4 ? 'refused' : turn === 5 ? 'not_home' : 'contacted';
  }

  private async post(path: string, body: object): Promise<{ status: number; body: unknown }> {
    try {
      const response = await this.user.agent.post(path).set('X-CSRF-Token', this.user.csrfToken).send(body);
      return { status: response.status, body: response.body as unknown };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  }

  private async get(path: string): Promise<{ status: number; body: unknown }> {
    try {
      const response = await this.user.agent.get(path);
      return { status: response.status, body: response.body as unknown };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  }
}
