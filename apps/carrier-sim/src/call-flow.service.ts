import { drawCallPlan, type CallPlan } from './call-plan.draw';
import { httpMethod, isHttpUrl, nonEmpty } from './call-request.parser';
import { OutboundCallQueue } from './outbound-call.queue';
import { DEFAULT_MAX_RETAINED, dropOldestFinished } from './record-retention.util';
import type { FormFields } from './request-body.util';
import type { Scenario } from './scenario';
import type { SeededRandom } from './seeded-random';
import { type CallEvent, type CallRequest, type CallStatus, callDurationSeconds, isTerminal, type SimulatedCall } from './simulated-call';
import type { SimulatorLog } from './simulator-log';
import type { SimulatorCounters } from './simulator.stats';
import type { StatusCallbackSender } from './status-callback.sender';
import type { TimerRegistry } from './timer.registry';
import { badRequest, TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { newSid, toRfc2822, TWILIO_API_VERSION } from './twilio-format.util';

export interface CallFlowDependencies {
  readonly accountSid: string;
  readonly callsPerSecond: number;
  readonly timers: TimerRegistry;
  readonly sender: StatusCallbackSender;
  readonly counters: SimulatorCounters;
  readonly log: SimulatorLog;
  readonly scenario: () => Scenario;
  /** The run's sequence; each call forks its own from it at creation. */
  readonly random: () => SeededRandom;
  /** Finished calls kept for GET and /sim/calls; the oldest go first. */
  readonly maxRetained?: number;
}

/**
 * The life of each outbound call: queued at creation, paced out of the account's queue, then
 * initiated → ringing → (answered → completed) | busy | no-answer | failed as its drawn plan says,
 * or cut short by our hang-up or cancel. Each step is one timer; the status callbacks follow.
 */
export class CallFlow {
  private readonly calls = new Map<string, SimulatedCall>();
  readonly queue: OutboundCallQueue<SimulatedCall>;

  constructor(private readonly dependencies: CallFlowDependencies) {
    this.queue = new OutboundCallQueue(dependencies.callsPerSecond, dependencies.timers, (call) => this.leaveQueue(call));
  }

  create(request: CallRequest): SimulatedCall {
    const now = Date.now();
    const call: SimulatedCall = {
      sid: newSid('CA'),
      accountSid: this.dependencies.accountSid,
      request,
      random: this.dependencies.random().fork(),
      createdAt: now,
      status: 'queued',
      updatedAt: now,
      url: request.url,
      twiml: request.twiml,
      statusCallback: request.statusCallback,
      statusCallbackMethod: request.statusCallbackMethod,
      dequeuedAt: null,
      answeredAt: null,
      endedAt: null,
      answeredBy: null,
      plan: null,
      nextSequenceNumber: 0,
      pendingStep: undefined,
      timeline: [],
      callbacks: [],
      instructions: [],
    };
    this.calls.set(call.sid, call);
    dropOldestFinished(this.calls, (existing) => isTerminal(existing.status), this.dependencies.maxRetained ?? DEFAULT_MAX_RETAINED);
    this.dependencies.counters.callsCreated += 1;
    this.queue.enqueue(call);
    this.dependencies.log({ level: 'debug', message: 'call queued', callSid: call.sid });
    return call;
  }

  find(sid: string): SimulatedCall {
    const call = this.calls.get(sid);
    if (!call) throw new TwilioApiException(404, TWILIO_ERROR.notFound, `The requested resource /Calls/${sid}.json was not found`);
    return call;
  }

  list(filter: { readonly to?: string } = {}): SimulatedCall[] {
    return [...this.calls.values()].filter((call) => filter.to === undefined || call.request.to === filter.to);
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
    const statusCallback = nonEmpty(form.get('StatusCallback'));
    if (statusCallback !== undefined && !isHttpUrl(statusCallback)) throw badRequest(TWILIO_ERROR.invalidUrl, 'StatusCallback is not a valid http(s) URL');
    if ((url !== undefined || twiml !== undefined) && isTerminal(call.status)) {
      throw badRequest(TWILIO_ERROR.invalidCallState, 'Call is not in-progress. Cannot redirect.');
    }

    if (statusCallback !== undefined) call.statusCallback = statusCallback;
    if (form.has('StatusCallbackMethod')) call.statusCallbackMethod = httpMethod(form, 'StatusCallbackMethod');
    if (url !== undefined || twiml !== undefined) {
      const method = url !== undefined ? httpMethod(form, 'Method') : null;
      call.instructions.push({ at: new Date().toISOString(), url: url ?? null, method, twiml: twiml ?? null });
      // As on Twilio, Twiml wins when both are given.
      call.twiml = twiml ?? null;
      call.url = twiml === undefined ? (url ?? null) : null;
      call.updatedAt = Date.now();
    }
    if (status === 'completed' && call.status === 'in-progress') this.finish(call, 'completed');
    else if (status !== undefined && (call.status === 'queued' || call.status === 'ringing')) this.finish(call, 'canceled');
    return call;
  }

  /** Drops every call and its pending steps (the caller clears the timers). */
  reset(): void {
    this.calls.clear();
    this.queue.clear();
  }

  private leaveQueue(call: SimulatedCall): void {
    const now = Date.now();
    call.dequeuedAt = now;
    call.updatedAt = now;
    const plan = drawCallPlan(this.dependencies.scenario(), call.random, {
      to: call.request.to,
      timeoutSeconds: call.request.timeoutSeconds,
      machineDetection: call.request.machineDetection,
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
    // With machine detection, `answered` waits for the verdict so that it can carry AnsweredBy.
    if (plan.detectionMs === 0) this.answer(call, plan);
    else this.next(call, plan.detectionMs, () => this.answer(call, plan));
  }

  private answer(call: SimulatedCall, plan: CallPlan): void {
    call.answeredBy = plan.answeredBy;
    this.emit(call, 'answered', 'in-progress');
    this.next(call, plan.talkMs ?? plan.maxCallMs, () => this.finish(call, 'completed'));
  }

  private finish(call: SimulatedCall, status: CallStatus): void {
    this.dependencies.timers.cancel(call.pendingStep);
    call.pendingStep = undefined;
    if (call.status === 'queued') this.queue.remove(call);
    if (status === 'canceled') this.dependencies.counters.callsCanceled += 1;
    this.setStatus(call, status);
    call.endedAt = call.updatedAt;
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
      Direction: 'outbound-api',
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
