import type { ConferenceRegistry } from './conference.registry';
import type { Scenario } from './scenario';
import type { CallError, SimulatedCall, VoiceRequestReason } from './simulated-call';
import type { SimulatorLog } from './simulator-log';
import type { CallbackMethod } from './status-callback.sender';
import type { TimerRegistry } from './timer.registry';
import { parseTwiml, TWIML_ERROR, TwimlException, type TwimlVerb } from './twiml.parser';
import type { VoiceRequestSender } from './voice-request.sender';

/** Where a call's next instructions come from: a URL to ask (the answer, an update, a browser leg) or TwiML given inline. */
export type CallInstructions =
  | {
      readonly kind: 'url';
      readonly url: string;
      readonly method: CallbackMethod;
      readonly reason: VoiceRequestReason;
      readonly extraParams?: Record<string, string>;
    }
  | { readonly kind: 'twiml'; readonly twiml: string };

/** What the interpreter needs from the call's owner. */
export interface InterpretedCallHooks {
  /** The voice request parameters of the call as it stands (CallSid, CallStatus, From, To, …). */
  parametersOf(call: SimulatedCall): Record<string, string>;
  /** A document starts to run (a browser leg is answered then). */
  documentStarted(call: SimulatedCall): void;
  /** The callee starts hearing the call's side: a <Say>, <Play>, <Pause> or a conference. */
  lineLive(call: SimulatedCall): void;
  /** Twilio hangs up: <Hangup/>, the verbs ran out, or the instructions failed. */
  hangUp(call: SimulatedCall): void;
}

export interface TwimlInterpreterDependencies {
  readonly timers: TimerRegistry;
  readonly conferences: ConferenceRegistry;
  readonly voiceRequests: VoiceRequestSender;
  readonly log: SimulatorLog;
  readonly scenario: () => Scenario;
  readonly calls: InterpretedCallHooks;
}

/**
 * Runs TwiML on a call, one verb after the other: <Say> and <Play> last as the scenario says,
 * <Pause> its length, <Hangup/> ends the call, <Redirect> asks another URL, <Dial><Conference>
 * waits in the conference until the call is removed from it. New instructions (a REST update)
 * interrupt the verb in progress. A voice URL that fails goes to the FallbackUrl once; when that
 * fails too, or the TwiML cannot be read, the error is recorded and the call ends.
 */
export class TwimlInterpreter {
  constructor(private readonly dependencies: TwimlInterpreterDependencies) {}

  /** Replaces whatever the call is doing with these instructions; resolves once they have started (or failed). */
  run(call: SimulatedCall, instructions: CallInstructions): Promise<void> {
    const generation = this.interrupt(call);
    call.execution.fallbackUsed = false;
    if (instructions.kind === 'twiml') {
      this.start(call, generation, instructions.twiml, null);
      return Promise.resolve();
    }
    return this.fetch(call, generation, instructions.url, instructions.method, instructions.reason, instructions.extraParams ?? {});
  }

  /** The call has ended: its verb stops and it leaves its conference. */
  stop(call: SimulatedCall): void {
    this.interrupt(call);
  }

  private interrupt(call: SimulatedCall): number {
    call.execution.generation += 1;
    this.dependencies.timers.cancel(call.timers.verb);
    call.timers.verb = undefined;
    call.execution.verbs = [];
    call.execution.index = 0;
    // Leaving may end the conference for others; they carry on after their own <Dial>.
    this.dependencies.conferences.leave(call);
    return call.execution.generation;
  }

  private async fetch(
    call: SimulatedCall,
    generation: number,
    url: string,
    method: CallbackMethod,
    reason: VoiceRequestReason,
    extraParams: Record<string, string>,
  ): Promise<void> {
    const params = { ...this.dependencies.calls.parametersOf(call), ...extraParams };
    const response = await this.dependencies.voiceRequests.request(call, { reason, url, method, params });
    if (this.isStale(call, generation)) return;
    if (!response.ok) return this.failed(call, generation, response.error);
    this.start(call, generation, response.twiml, url);
  }

  private start(call: SimulatedCall, generation: number, twiml: string, documentUrl: string | null): void {
    let verbs: TwimlVerb[];
    try {
      verbs = parseTwiml(twiml);
    } catch (error) {
      if (!(error instanceof TwimlException)) throw error;
      void this.failed(call, generation, { at: new Date().toISOString(), code: error.code, message: error.message, url: documentUrl });
      return;
    }
    Object.assign(call.execution, { verbs, index: 0, documentUrl });
    this.dependencies.calls.documentStarted(call);
    this.next(call, generation);
  }

  private async failed(call: SimulatedCall, generation: number, error: CallError): Promise<void> {
    call.errors.push(error);
    this.dependencies.log({ level: 'warn', message: 'call instructions failed', callSid: call.sid, code: error.code, detail: error.message });
    if (call.fallbackUrl !== null && !call.execution.fallbackUsed) {
      call.execution.fallbackUsed = true;
      const errorParams = { ErrorCode: String(error.code), ...(error.url === null ? {} : { ErrorUrl: error.url }) };
      return this.fetch(call, generation, call.fallbackUrl, call.fallbackMethod, 'fallback', errorParams);
    }
    // Twilio says "an application error has occurred" and hangs up.
    this.dependencies.calls.hangUp(call);
  }

  private next(call: SimulatedCall, generation: number): void {
    if (this.isStale(call, generation)) return;
    const { execution } = call;
    const verb = execution.verbs[execution.index];
    execution.index += 1;
    if (verb === undefined) {
      this.dependencies.calls.hangUp(call);
      return;
    }
    const { timings } = this.dependencies.scenario();
    switch (verb.verb) {
      case 'Say':
        return this.play(call, generation, verb.text.length * timings.sayMsPerCharacter * verb.loop);
      case 'Play':
        return this.play(call, generation, call.random.within(timings.playMs) * verb.loop);
      case 'Pause':
        return this.play(call, generation, verb.lengthSeconds * 1000);
      case 'Hangup':
        return this.dependencies.calls.hangUp(call);
      case 'Redirect': {
        const url = resolveUrl(verb.url, execution.documentUrl);
        if (url === null) {
          const message = `<Redirect> to "${verb.url}" needs an absolute URL when the TwiML was given inline`;
          void this.failed(call, generation, { at: new Date().toISOString(), code: TWIML_ERROR.schemaValidation, message, url: null });
          return;
        }
        void this.fetch(call, generation, url, verb.method, 'redirect', {});
        return;
      }
      case 'Dial':
        this.dependencies.calls.lineLive(call);
        call.execution.conference = verb.conference.name;
        this.dependencies.conferences.join(call, verb.conference, () => {
          call.execution.conference = null;
          this.next(call, generation);
        });
        return;
    }
  }

  private play(call: SimulatedCall, generation: number, durationMs: number): void {
    this.dependencies.calls.lineLive(call);
    call.timers.verb = this.dependencies.timers.after(durationMs, () => {
      call.timers.verb = undefined;
      this.next(call, generation);
    });
  }

  private isStale(call: SimulatedCall, generation: number): boolean {
    return call.execution.generation !== generation || call.endedAt !== null;
  }
}

/** A <Redirect> URL: absolute, or relative to the document it came from; null when relative to inline TwiML. */
function resolveUrl(target: string, documentUrl: string | null): string | null {
  try {
    return new URL(target, documentUrl ?? undefined).toString();
  } catch {
    return null;
  }
}
