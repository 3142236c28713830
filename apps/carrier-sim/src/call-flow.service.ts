import { drawCallPlan, type CallPlan } from './call-plan.draw';
import { httpMethod, isHttpUrl, nonEmpty } from './call-request.parser';
import { ConferenceRegistry, type SimulatedConference } from './conference.registry';
import { OutboundCallQueue } from './outbound-call.queue';
import { DEFAULT_MAX_RETAINED, dropOldestFinished } from './record-retention.util';
import type { FormFields } from './request-body.util';
import type { Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';
import { type CallEvent, type CallMilestone, type CallRequest, type CallStatus, callDurationSeconds, isTerminal, type SimulatedCall } from './simulated-call';
import type { SimulatorLog } from './simulator-log';
import type { SimulatorCounters } from './simulator.stats';
import type { StatusCallbackSender } from './status-callback.sender';
import type { TimerRegistry } from './timer.registry';
import { badRequest, TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { newSid, toRfc2822, TWILIO_API_VERSION } from './twilio-format.util';
import { type CallInstructions, TwimlInterpreter } from './twiml.interpreter';
import type { VoiceRequestSender } from './voice-request.sender';

export interface CallFlowDependencies {
  readonly accountSid: string;
  readonly callsPerSecond: number;
  readonly timers: TimerRegistry;
  readonly sender: StatusCallbackSender;
  readonly voiceRequests: VoiceRequestSender;
  readonly counters: SimulatorCounters;
  readonly log: SimulatorLog;
  readonly scenario: () => Scenario;
  /** The run's sequence; each call forks its own from it at creation. */
  readonly random: () => SeededRandom;
  /** Finished calls kept for GET and /sim/calls; the oldest go first. */
  readonly maxRetained?: number;
}

/** A simulated browser (Voice SDK) leg: it calls the TwiML App's voice URL as `client:<identity>`. */
export interface ClientLegRequest {
  readonly identity: string;
  readonly voiceUrl: string;
  readonly applicationSid: string | null;
  /** Extra parameters the browser passes to device.connect(); they are sent with the voice request. */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * The life of each call. Outbound: queued at creation, paced out of the account's queue, then
 * initiated → ringing → (answered → completed) | busy | no-answer | failed as its drawn plan says,
 * with answering machine detection between pick-up and answer, the call's TwiML (inline, or asked
 * from its Url) run from the answer on, and the callee hanging up by itself after its talk time.
 * Browser legs: they ask the TwiML App's voice URL at once and run what it answers. Either can be
 * cut short by our hang-up, cancel or redirect. The status callbacks follow.
 */
export class CallFlow {
  private readonly calls = new Map<string, SimulatedCall>();
  readonly queue: OutboundCallQueue<SimulatedCall>;
  readonly conferences: ConferenceRegistry;
  private readonly interpreter: TwimlInterpreter;

  constructor(private readonly dependencies: CallFlowDependencies) {
    this.queue = new OutboundCallQueue(dependencies.callsPerSecond, dependencies.timers, (call) => this.leaveQueue(call));
    this.conferences = new ConferenceRegistry(
      { bridged: (call, conference) => this.bridged(call, conference), left: (call, conference) => this.mark(call, 'left-conference', conference.name) },
      dependencies.maxRetained,
    );
    this.interpreter = new TwimlInterpreter({
      timers: dependencies.timers,
      conferences: this.conferences,
      voiceRequests: dependencies.voiceRequests,
      log: dependencies.log,
      scenario: dependencies.scenario,
      calls: {
        parametersOf: (call) => this.voiceParameters(call),
        documentStarted: (call) => this.documentStarted(call),
        lineLive: (call) => this.lineLive(call),
        hangUp: (call) => this.finish(call, 'completed'),
      },
    });
  }

  create(request: CallRequest): SimulatedCall {
    const call = this.register(request, 'outbound-api', null, {});
    this.queue.enqueue(call);
    this.dependencies.log({ level: 'debug', message: 'call queued', callSid: call.sid });
    return call;
  }

  /** A browser leg rings in, asks the voice URL and runs its TwiML; resolves once that has started (or failed). */
  async connectClient(client: ClientLegRequest): Promise<SimulatedCall> {
    const request: CallRequest = {
      to: '',
      from: `client:${client.identity}`,
      url: client.voiceUrl,
      method: 'POST',
      twiml: null,
      fallbackUrl: null,
      fallbackMethod: 'POST',
      applicationSid: client.applicationSid,
      statusCallback: null,
      statusCallbackMethod: 'POST',
      statusCallbackEvents: [],
      timeoutSeconds: 60,
      machineDetection: null,
      machineDetectionOptions: {
        asynchronous: false,
        statusCallback: null,
        statusCallbackMethod: 'POST',
        timeoutSeconds: 30,
        speechThresholdMs: 2400,
        speechEndThresholdMs: 1200,
        silenceTimeoutMs: 5000,
      },
    };
    const call = this.register(request, 'inbound', client.identity, client.parameters);
    // Inbound calls are not paced by the account's CPS.
    call.dequeuedAt = call.createdAt;
    this.setStatus(call, 'ringing');
    this.mark(call, 'ringing');
    call.instructionsStarted = true;
    await this.interpreter.run(call, { kind: 'url', url: client.voiceUrl, method: 'POST', reason: 'client' });
    return call;
  }

  /** Ends every live browser leg of this identity, as the volunteer closing the call in the browser. */
  hangUpClient(identity: string): SimulatedCall[] {
    const legs = [...this.calls.values()].filter((call) => call.clientIdentity === identity && !isTerminal(call.status));
    for (const leg of legs) this.finish(leg, 'completed');
    return legs;
  }

  find(sid: string): SimulatedCall {
    const call = this.calls.get(sid);
    if (!call) throw new TwilioApiException(404, TWILIO_ERROR.notFound, `The requested resource /Calls/${sid}.json was not found`);
    return call;
  }

  list(filter: { readonly to?: string } = {}): SimulatedCall[] {
    return [...this.calls.values()].filter((call) => filter.to === undefined || call.request.to === filter.to);
  }

  /** Twilio's estimate of how long a queued call still waits for its turn (0 once it has left the queue). */
  queueTimeMs(call: SimulatedCall): number {
    if (call.status === 'queued') return this.queue.estimatedWaitMs(call) ?? 0;
    return call.dequeuedAt === null ? 0 : call.dequeuedAt - call.createdAt;
  }

  /** Update Call: `Status=completed` hangs up, `Status=canceled` stops a queued or ringing call, `Url`/`Twiml` redirect a live one. */
  update(sid: string, form: FormFields): SimulatedCall {
    const call = this.find(sid);
    const status = nonEmpty(form.get('Status'));
    if (status !== undefined && status !== 'completed' && status !== 'canceled')
      throw badRequest(TWILIO_ERROR.invalidParameter, 'Status must be canceled or completed');
    const url = nonEmpty(form.get('Url'));
    const twiml = nonEmpty(form.get('Twiml'));
    if (url !== undefined && !isHttpUrl(url)) throw badRequest(TWILIO_ERROR.invalidUrl, 'Url is not a valid http(s) URL');
    const fallbackUrl = nonEmpty(form.get('FallbackUrl'));
    if (fallbackUrl !== undefined && !isHttpUrl(fallbackUrl)) throw badRequest(TWILIO_ERROR.invalidUrl, 'FallbackUrl is not a valid http(s) URL');
    const statusCallback = nonEmpty(form.get('StatusCallback'));
    if (statusCallback !== undefined && !isHttpUrl(statusCallback)) throw badRequest(TWILIO_ERROR.invalidUrl, 'StatusCallback is not a valid http(s) URL');
    if ((url !== undefined || twiml !== undefined) && isTerminal(call.status)) {
      throw badRequest(TWILIO_ERROR.invalidCallState, 'Call is not in-progress. Cannot redirect.');
    }

    if (statusCallback !== undefined) call.statusCallback = statusCallback;
    if (form.has('StatusCallbackMethod')) call.statusCallbackMethod = httpMethod(form, 'StatusCallbackMethod');
    if (fallbackUrl !== undefined) call.fallbackUrl = fallbackUrl;
    if (form.has('FallbackMethod')) call.fallbackMethod = httpMethod(form, 'FallbackMethod');
    if (url !== undefined || twiml !== undefined) {
      const method = url !== undefined ? httpMethod(form, 'Method') : null;
      call.instructions.push({ at: new Date().toISOString(), url: url ?? null, method, twiml: twiml ?? null });
      // As on Twilio, Twiml wins when both are given.
      call.twiml = twiml ?? null;
      call.url = twiml === undefined ? (url ?? null) : null;
      if (method !== null) call.method = method;
      call.updatedAt = Date.now();
      // A call not answered yet keeps the new instructions for its answer; a live one drops what it was doing.
      const instructions = this.currentInstructions(call, 'update');
      if (call.instructionsStarted && call.status === 'in-progress' && instructions !== null) void this.interpreter.run(call, instructions);
    }
    if (status === 'completed' && call.status === 'in-progress') this.finish(call, 'completed');
    else if (status !== undefined && (call.status === 'queued' || call.status === 'ringing')) this.finish(call, 'canceled');
    return call;
  }

  /** Drops every call, conference and pending step (the caller clears the timers). */
  reset(): void {
    this.calls.clear();
    this.queue.clear();
    this.conferences.reset();
  }

  private register(
    request: CallRequest,
    direction: SimulatedCall['direction'],
    clientIdentity: string | null,
    parameters: Record<string, string>,
  ): SimulatedCall {
    const now = Date.now();
    const call: SimulatedCall = {
      sid: newSid('CA'),
      accountSid: this.dependencies.accountSid,
      direction,
      request,
      random: this.dependencies.random().fork(),
      createdAt: now,
      clientIdentity,
      clientParameters: parameters,
      status: 'queued',
      updatedAt: now,
      url: request.url,
      method: request.method,
      twiml: request.twiml,
      fallbackUrl: request.fallbackUrl,
      fallbackMethod: request.fallbackMethod,
      statusCallback: request.statusCallback,
      statusCallbackMethod: request.statusCallbackMethod,
      dequeuedAt: null,
      answeredAt: null,
      endedAt: null,
      answeredBy: null,
      greetingEndsAt: null,
      verdictAt: null,
      bridgedAt: null,
      bridgedWith: [],
      talkStartedAt: null,
      instructionsStarted: false,
      execution: { generation: 0, verbs: [], index: 0, documentUrl: null, fallbackUsed: false, conference: null },
      plan: null,
      nextSequenceNumber: 0,
      pendingStep: undefined,
      timers: {},
      timeline: [],
      callbacks: [],
      instructions: [],
      voiceRequests: [],
      errors: [],
    };
    this.calls.set(call.sid, call);
    dropOldestFinished(this.calls, (existing) => isTerminal(existing.status), this.dependencies.maxRetained ?? DEFAULT_MAX_RETAINED);
    this.dependencies.counters.callsCreated += 1;
    return call;
  }

  private leaveQueue(call: SimulatedCall): void {
    const now = Date.now();
    call.dequeuedAt = now;
    call.updatedAt = now;
    const plan = drawCallPlan(this.dependencies.scenario(), call.random, {
      to: call.request.to,
      timeoutSeconds: call.request.timeoutSeconds,
      machineDetection: call.request.machineDetection,
      machineDetectionOptions: call.request.machineDetectionOptions,
    });
    call.plan = plan;
    this.emit(call, 'initiated', 'initiated');
    this.next(call, plan.connectMs, () => (plan.outcome === 'failed' ? this.finish(call, 'failed') : this.ring(call, plan)));
  }

  private ring(call: SimulatedCall, plan: CallPlan): void {
    this.setStatus(call, 'ringing');
    this.emit(call, 'ringing', 'ringing');
    this.next(call, plan.ringMs, () => {
      if (plan.outcome === 'human' || plan.outcome === 'machine') this.pickUp(call, plan);
      else this.finish(call, plan.outcome === 'busy' ? 'busy' : 'no-answer');
    });
  }

  private pickUp(call: SimulatedCall, plan: CallPlan): void {
    this.setStatus(call, 'in-progress');
    call.answeredAt = call.updatedAt;
    call.greetingEndsAt = call.answeredAt + (plan.greetingMs ?? 0);
    this.mark(call, 'picked-up');
    call.timers.maxDuration = this.dependencies.timers.after(plan.maxCallMs, () => this.finish(call, 'completed'));
    const detection = call.request.machineDetectionOptions;
    if (plan.answeredBy === null) {
      this.emit(call, 'answered', 'in-progress');
      this.startInstructions(call, {});
    } else if (detection.asynchronous) {
      // The call runs its instructions at once; the verdict goes to AsyncAmdStatusCallback when it comes.
      this.emit(call, 'answered', 'in-progress');
      this.startInstructions(call, {});
      call.timers.detection = this.dependencies.timers.after(plan.detectionMs, () => {
        call.timers.detection = undefined;
        this.verdict(call, plan);
        this.sendDetectionResult(call, plan);
      });
    } else {
      // Synchronous detection holds the call's instructions until the verdict; the `answered` callback waits too unless the scenario says otherwise.
      const answeredAtVerdict = this.dependencies.scenario().amd.answeredEvent === 'verdict';
      if (!answeredAtVerdict) this.emit(call, 'answered', 'in-progress');
      this.next(call, plan.detectionMs, () => {
        this.verdict(call, plan);
        if (answeredAtVerdict) this.emit(call, 'answered', 'in-progress');
        this.startInstructions(call, { AnsweredBy: plan.answeredBy ?? 'unknown', MachineDetectionDuration: String(plan.detectionMs) });
      });
    }
  }

  private verdict(call: SimulatedCall, plan: CallPlan): void {
    call.answeredBy = plan.answeredBy;
    call.verdictAt = Date.now();
    this.mark(call, 'verdict');
  }

  private startInstructions(call: SimulatedCall, extraParams: Record<string, string>): void {
    call.instructionsStarted = true;
    const instructions = this.currentInstructions(call, 'answer', extraParams);
    // Created with an ApplicationSid: its voice URL is not known here, so the line is simply open.
    if (instructions === null) this.lineLive(call);
    else void this.interpreter.run(call, instructions);
  }

  private currentInstructions(call: SimulatedCall, reason: 'answer' | 'update', extraParams: Record<string, string> = {}): CallInstructions | null {
    if (call.url !== null) return { kind: 'url', url: call.url, method: call.method, reason, extraParams };
    if (call.twiml !== null) return { kind: 'twiml', twiml: call.twiml };
    return null;
  }

  private documentStarted(call: SimulatedCall): void {
    // A browser leg is answered by its first TwiML.
    if (call.direction === 'inbound' && call.status === 'ringing') {
      this.setStatus(call, 'in-progress');
      call.answeredAt = call.updatedAt;
      this.mark(call, 'answered');
    }
  }

  /** The callee's own talk clock starts when it first hears the call's side. */
  private lineLive(call: SimulatedCall): void {
    if (call.direction !== 'outbound-api' || call.talkStartedAt !== null) return;
    this.startTalkClock(call);
  }

  /** The first bridge starts the conversation: the talk clock starts over. */
  private bridged(call: SimulatedCall, conference: SimulatedConference): void {
    this.mark(call, 'bridged', conference.name);
    if (call.direction === 'outbound-api') this.startTalkClock(call);
  }

  private startTalkClock(call: SimulatedCall): void {
    call.talkStartedAt = Date.now();
    this.dependencies.timers.cancel(call.timers.hangUp);
    const talkMs = call.plan?.talkMs ?? null;
    call.timers.hangUp = talkMs === null ? undefined : this.dependencies.timers.after(talkMs, () => this.finish(call, 'completed'));
  }

  private sendDetectionResult(call: SimulatedCall, plan: CallPlan): void {
    const { statusCallback, statusCallbackMethod } = call.request.machineDetectionOptions;
    if (statusCallback === null || plan.answeredBy === null) return;
    this.dependencies.sender.send(call, {
      event: 'amd',
      status: call.status,
      sequenceNumber: null,
      url: statusCallback,
      method: statusCallbackMethod,
      params: { AccountSid: call.accountSid, AnsweredBy: plan.answeredBy, CallSid: call.sid, MachineDetectionDuration: String(plan.detectionMs) },
      final: false,
    });
  }

  private finish(call: SimulatedCall, status: CallStatus): void {
    if (isTerminal(call.status)) return;
    const { timers } = this.dependencies;
    timers.cancel(call.pendingStep);
    call.pendingStep = undefined;
    for (const handle of Object.values(call.timers)) timers.cancel(handle);
    Object.assign(call.timers, { verb: undefined, hangUp: undefined, detection: undefined, maxDuration: undefined });
    if (call.status === 'queued') this.queue.remove(call);
    if (status === 'canceled') this.dependencies.counters.callsCanceled += 1;
    this.setStatus(call, status);
    call.endedAt = call.updatedAt;
    // Leaving its conference may end it for others (endConferenceOnExit); they go on after their <Dial>.
    this.interpreter.stop(call);
    this.emit(call, 'completed', status);
    this.dependencies.log({ level: 'debug', message: 'call ended', callSid: call.sid, status, durationSeconds: callDurationSeconds(call) });
  }

  private next(call: SimulatedCall, delayMs: number, step: () => void): void {
    call.pendingStep = this.dependencies.timers.after(delayMs, () => {
      call.pendingStep = undefined;
      step();
    });
  }

  private setStatus(call: SimulatedCall, status: CallStatus): void {
    call.status = status;
    call.updatedAt = Date.now();
  }

  private mark(call: SimulatedCall, event: CallMilestone | CallEvent, conference?: string): void {
    call.timeline.push({ event, status: call.status, at: new Date().toISOString(), ...(conference === undefined ? {} : { conference }) });
  }

  /** The parameters of a voice request for the call now (Twilio's call parameters; AnsweredBy once a synchronous verdict is known). */
  private voiceParameters(call: SimulatedCall): Record<string, string> {
    const params: Record<string, string> = {
      AccountSid: call.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      CallSid: call.sid,
      CallStatus: call.status,
      Called: call.request.to,
      Caller: call.request.from,
      Direction: call.direction,
      From: call.request.from,
      To: call.request.to,
      ...call.clientParameters,
    };
    if (call.request.applicationSid !== null) params.ApplicationSid = call.request.applicationSid;
    if (call.request.machineDetection !== null && call.answeredBy !== null && !call.request.machineDetectionOptions.asynchronous) {
      params.AnsweredBy = call.answeredBy;
    }
    return params;
  }

  private emit(call: SimulatedCall, event: CallEvent, callStatus: string): void {
    const at = Date.now();
    call.timeline.push({ event, status: callStatus, at: new Date(at).toISOString() });
    const url = call.statusCallback;
    if (url === null || (event !== 'completed' && !call.request.statusCallbackEvents.includes(event))) return;
    const sequenceNumber = call.nextSequenceNumber;
    call.nextSequenceNumber += 1;
    const params: Record<string, string> = {
      AccountSid: call.accountSid,
      ApiVersion: TWILIO_API_VERSION,
      CallSid: call.sid,
      CallStatus: callStatus,
      Called: call.request.to,
      Caller: call.request.from,
      CallbackSource: 'call-progress-events',
      Direction: call.direction,
      From: call.request.from,
      SequenceNumber: String(sequenceNumber),
      Timestamp: toRfc2822(at),
      To: call.request.to,
    };
    if (event === 'completed') params.CallDuration = String(callDurationSeconds(call) ?? 0);
    if (call.request.machineDetection !== null && call.answeredBy !== null) params.AnsweredBy = call.answeredBy;
    this.dependencies.sender.send(call, {
      event,
      status: callStatus,
      sequenceNumber,
      url,
      method: call.statusCallbackMethod,
      params,
      final: event === 'completed',
    });
  }
}
