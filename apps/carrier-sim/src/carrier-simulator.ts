import type { AddressInfo } from 'node:net';
import { CallFlow } from './call-flow.service';
import { isHttpUrl } from './call-request.parser';
import { toCallSnapshot } from './call.resource';
import { toConferenceSnapshot } from './conference.resource';
import { createCarrierSimulatorRouter } from './carrier-simulator.router';
import { createCarrierSimulatorServer } from './carrier-simulator.server';
import { InboundMessages, type InboundOutcome } from './inbound-message.service';
import { parseInboundRequest } from './inbound-request.parser';
import { InboundWebhookSender } from './inbound-webhook.sender';
import { MessageAdmission } from './message-admission.service';
import { type MessageFilter, MessageFlow } from './message-flow.service';
import { toMessageSnapshot } from './message.resource';
import { type OptOutEntry, OptOutRegistry } from './opt-out.registry';
import type { Scenario, ScenarioInput } from './scenario';
import { parseScenario } from './scenario.parser';
import { SeededRandom } from './seeded-random';
import { SendRateLimiter } from './send-rate.limiter';
import { SenderThroughputTracker } from './sender-throughput.tracker';
import { jsonLineLog, type SimulatorLog } from './simulator-log';
import { SimulatorCounters, type SimulatorStats, statsSnapshot } from './simulator.stats';
import { StatusCallbackSender } from './status-callback.sender';
import { TimerRegistry } from './timer.registry';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';
import { VoiceRequestSender } from './voice-request.sender';

export interface CarrierSimulatorOptions {
  /** AC + 32 hex digits; the only account the simulator answers for. */
  readonly accountSid: string;
  readonly authToken: string;
  /** The account's outbound pace, as Twilio's CPS (fractions allowed). */
  readonly callsPerSecond: number;
  /** Defaults fill whatever is left out (DEFAULT_SCENARIO). */
  readonly scenario?: ScenarioInput;
  /** Default: JSON lines on stdout at info and above. */
  readonly log?: SimulatorLog;
  /** How long a status callback receiver, a voice URL or the messaging webhook may take to answer (default 15 s, as Twilio). */
  readonly callbackTimeoutMs?: number;
  /** The TwiML App's voice URL, asked by simulated browser legs (connectClient); without it they cannot connect. */
  readonly clientVoiceUrl?: string;
  /** The TwiML App's SID, sent as ApplicationSid with browser legs' voice requests. */
  readonly clientApplicationSid?: string;
  /** Finished calls, and settled texts, kept for GET and /sim/ (default 10,000 each); the oldest are dropped first. */
  readonly maxRetained?: number;
}

export interface CarrierSimulator {
  /** Starts answering HTTP; port 0 picks a free one. */
  listen(port?: number, host?: string): Promise<{ readonly port: number; readonly url: string }>;
  /** Stops the server, clears every timer and aborts callbacks in flight. */
  close(): Promise<void>;
  scenario(): Scenario;
  /** Validates (throws ScenarioValidationException naming the field) and replaces the scenario; restarts the random sequence from its seed. */
  setScenario(input: ScenarioInput | unknown): Scenario;
  /** Every call with its state, timeline and callbacks (the same objects GET /sim/calls returns). */
  calls(filter?: { readonly to?: string }): Array<Record<string, unknown>>;
  /** Every conference with its participants, present and gone (the same objects GET /sim/conferences returns). */
  conferences(): Array<Record<string, unknown>>;
  /**
   * A volunteer's browser connects: an inbound leg from `client:<identity>` asks clientVoiceUrl
   * (signed, with `parameters` added) and runs the TwiML it gets. Resolves with the leg's snapshot
   * once that TwiML has started, or the request has failed.
   */
  connectClient(identity: string, parameters?: Readonly<Record<string, string>>): Promise<Record<string, unknown>>;
  /** The volunteer closes the call in the browser: every live leg of that identity ends. Throws TwilioApiException 404 when there is none. */
  hangUpClient(identity: string): Array<Record<string, unknown>>;
  /** Every text, outbound, automatic reply and inbound, in creation order (the same objects GET /sim/messages returns). */
  messages(filter?: MessageFilter): Array<Record<string, unknown>>;
  /**
   * A handset texts one of our numbers (POST /sim/inbound): opt-out keywords take effect at once, Twilio's
   * automatic reply is recorded, then the text is posted, signed, to `url` or the scenario's `messages.inboundUrl`.
   * Resolves with its SID and the webhook's answer. Throws TwilioApiException 400 naming a bad field.
   */
  injectInbound(input: unknown): Promise<InboundOutcome>;
  /** The (sender, recipient) pairs blocked by an opt-out keyword now. */
  optOuts(): OptOutEntry[];
  stats(): SimulatorStats;
  /** Drops calls, messages, pending timers and figures; keeps the scenario. */
  reset(): void;
}

/** A local stand-in for the part of Twilio's REST API Crossroads uses (apps/carrier-sim/README.md). */
export function createCarrierSimulator(options: CarrierSimulatorOptions): CarrierSimulator {
  if (!/^AC[0-9a-fA-F]{32}$/.test(options.accountSid)) throw new RangeError('accountSid must be AC followed by 32 hex digits');
  if (options.authToken === '') throw new RangeError('authToken must not be empty');
  if (options.clientVoiceUrl !== undefined && !isHttpUrl(options.clientVoiceUrl)) throw new RangeError('clientVoiceUrl must be an http(s) URL');
  const log = options.log ?? jsonLineLog();
  let scenario = parseScenario(options.scenario ?? {});
  let random = new SeededRandom(scenario.seed);
  const timers = new TimerRegistry();
  const counters = new SimulatorCounters();
  const sender = new StatusCallbackSender({
    authToken: options.authToken,
    timers,
    counters: counters.callbacks,
    log,
    faults: () => scenario,
    timeoutMs: options.callbackTimeoutMs,
  });
  const voiceRequests = new VoiceRequestSender({
    authToken: options.authToken,
    counters: counters.voiceRequests,
    log,
    timeoutMs: options.callbackTimeoutMs,
  });
  const shared = {
    accountSid: options.accountSid,
    timers,
    sender,
    counters,
    log,
    scenario: () => scenario,
    random: () => random,
    maxRetained: options.maxRetained,
  };
  const callFlow = new CallFlow({ ...shared, voiceRequests, callsPerSecond: options.callsPerSecond });
  const snapshotOf = (call: Parameters<typeof toCallSnapshot>[0]): Record<string, unknown> => toCallSnapshot(call, callFlow.queueTimeMs(call));
  const limiter = new SendRateLimiter(() => scenario.messages);
  const throughput = new SenderThroughputTracker();
  const optOuts = new OptOutRegistry();
  const admission = new MessageAdmission({ scenario: () => scenario, random: () => random, limiter, throughput, optOuts, counters });
  const messageFlow = new MessageFlow({ ...shared, admission });
  const inboundWebhooks = new InboundWebhookSender({
    authToken: options.authToken,
    counters: counters.inboundWebhooks,
    log,
    timeoutMs: options.callbackTimeoutMs,
  });
  const inbound = new InboundMessages({ messages: messageFlow, optOuts, webhooks: inboundWebhooks, scenario: () => scenario });
  const injectInbound = (input: unknown): Promise<InboundOutcome> => inbound.receive(parseInboundRequest(input));

  const setScenario = (input: unknown): Scenario => {
    scenario = parseScenario(input);
    random = new SeededRandom(scenario.seed);
    log({ level: 'info', message: 'scenario replaced', seed: scenario.seed, overriddenNumbers: Object.keys(scenario.numbers).length });
    return scenario;
  };
  const reset = (): void => {
    timers.clearAll();
    sender.reset();
    voiceRequests.reset();
    inboundWebhooks.reset();
    callFlow.reset();
    messageFlow.reset();
    limiter.reset();
    throughput.reset();
    optOuts.reset();
    counters.reset();
    random = new SeededRandom(scenario.seed);
  };
  const stats = (): SimulatorStats =>
    statsSnapshot(counters, callFlow.queue.stats(), options.callsPerSecond, callFlow.conferences.activeCount(), {
      account: throughput.forAccount(),
      accountCapPerSecond: scenario.messages.maxPerSecondPerAccount,
      senders: Object.fromEntries(
        Object.entries(throughput.bySender()).map(([sender, figures]) => [sender, { ...figures, capPerSecond: limiter.capOf(sender) }]),
      ),
    });
  const connectClient = async (identity: string, parameters: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>> => {
    if (options.clientVoiceUrl === undefined) {
      throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, 'The simulator was started without clientVoiceUrl, so browser legs cannot connect');
    }
    const call = await callFlow.connectClient({ identity, voiceUrl: options.clientVoiceUrl, applicationSid: options.clientApplicationSid ?? null, parameters });
    return snapshotOf(call);
  };
  const hangUpClient = (identity: string): Array<Record<string, unknown>> => {
    const legs = callFlow.hangUpClient(identity);
    if (legs.length === 0) throw new TwilioApiException(404, TWILIO_ERROR.notFound, `No browser leg of client:${identity} is connected`);
    return legs.map(snapshotOf);
  };
  const server = createCarrierSimulatorServer(
    createCarrierSimulatorRouter({
      accountSid: options.accountSid,
      authToken: options.authToken,
      calls: callFlow,
      messages: messageFlow,
      control: { scenario: () => scenario, setScenario, reset, stats, connectClient, hangUpClient, injectInbound, optOuts: () => optOuts.list() },
      log,
    }),
  );

  return {
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          log({ level: 'info', message: 'carrier simulator listening', host, port: bound, callsPerSecond: options.callsPerSecond });
          resolve({ port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` });
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        timers.clearAll();
        sender.close();
        voiceRequests.close();
        inboundWebhooks.close();
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    scenario: () => scenario,
    setScenario,
    calls: (filter) => callFlow.list(filter).map(snapshotOf),
    conferences: () => callFlow.conferences.list().map(toConferenceSnapshot),
    connectClient,
    hangUpClient,
    messages: (filter) => messageFlow.list(filter).map(toMessageSnapshot),
    injectInbound,
    optOuts: () => optOuts.list(),
    stats,
    reset,
  };
}
