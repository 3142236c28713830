import type { IncomingMessage, ServerResponse } from 'node:http';
import { credentialsMatch, parseBasicAuthorization } from './basic-auth.util';
import type { CallFlow } from './call-flow.service';
import { parseCreateCall } from './call-request.parser';
import { toCallResource, toCallSnapshot } from './call.resource';
import { toConferenceSnapshot } from './conference.resource';
import type { InboundOutcome } from './inbound-message.service';
import type { MessageFilter, MessageFlow } from './message-flow.service';
import { parseMessageListQuery } from './message-list-request.parser';
import { toMessagePage } from './message-page.resource';
import { parseCreateMessage } from './message-request.parser';
import { toMessageResource, toMessageSnapshot } from './message.resource';
import type { OptOutEntry } from './opt-out.registry';
import { toPhoneNumberLookupResource } from './phone-number-lookup.resource';
import { readFormFields, readJsonBody } from './request-body.util';
import type { Scenario } from './scenario';
import { ScenarioValidationException } from './scenario.parser';
import type { SimulatorLog } from './simulator-log';
import type { SimulatorStats } from './simulator.stats';
import { TWILIO_ERROR, TwilioApiException, twilioErrorBody } from './twilio-api.exception';

export interface SimulatorControl {
  scenario(): Scenario;
  /** Validates and replaces the scenario; throws ScenarioValidationException. */
  setScenario(input: unknown): Scenario;
  /** Drops calls and messages, keeps the scenario. */
  reset(): void;
  stats(): SimulatorStats;
  /** Connects a simulated browser leg (throws TwilioApiException 400 without clientVoiceUrl); resolves with its snapshot. */
  connectClient(identity: string, parameters: Readonly<Record<string, string>>): Promise<Record<string, unknown>>;
  /** Hangs up the identity's live browser legs; their snapshots (404 when there is none). */
  hangUpClient(identity: string): Array<Record<string, unknown>>;
  /** Validates (400 naming the field) and injects an incoming text; resolves once its webhook has answered. */
  injectInbound(input: unknown): Promise<InboundOutcome>;
  optOuts(): OptOutEntry[];
}

export interface RouterDependencies {
  readonly accountSid: string;
  readonly authToken: string;
  readonly calls: CallFlow;
  readonly messages: MessageFlow;
  readonly control: SimulatorControl;
  readonly log: SimulatorLog;
}

type Handler = (request: IncomingMessage, match: RegExpExecArray, query: URLSearchParams) => Promise<Reply> | Reply;
interface Reply {
  readonly status: number;
  readonly body: unknown;
}
interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly handle: Handler;
}

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)(?:\/|\.json$|$)/;
const LOOKUP_PATH = /^\/v2\/PhoneNumbers\/([^/]+)$/;
const SID = '([A-Za-z0-9]{2,64})';

/**
 * Maps requests to the call and message flows: Twilio's REST paths (Basic auth, the path's
 * AccountSid must be ours), Lookup v2 (`/v2/PhoneNumbers/…`, same auth), the /sim/ control
 * endpoints (same auth), /health (open). Every error answers with Twilio's `{code, message, more_info, status}` body.
 */
export function createCarrierSimulatorRouter(dependencies: RouterDependencies): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { calls, messages, control } = dependencies;
  const accountBase = `/2010-04-01/Accounts/${dependencies.accountSid}`;
  const twilioRoutes: Route[] = [
    {
      method: 'POST',
      path: exact(`${accountBase}/Calls.json`),
      handle: async (request) => {
        const call = calls.create(parseCreateCall(await readFormFields(request)));
        return created(toCallResource(call, calls.queueTimeMs(call)));
      },
    },
    {
      method: 'GET',
      path: exact(`${accountBase}/Calls/${SID}.json`),
      handle: (_request, match) => {
        const call = calls.find(match[1]);
        return ok(toCallResource(call, calls.queueTimeMs(call)));
      },
    },
    {
      method: 'POST',
      path: exact(`${accountBase}/Calls/${SID}.json`),
      handle: async (request, match) => {
        const call = calls.update(match[1], await readFormFields(request));
        return ok(toCallResource(call, calls.queueTimeMs(call)));
      },
    },
    {
      method: 'POST',
      path: exact(`${accountBase}/Messages.json`),
      handle: async (request) => created(toMessageResource(messages.create(parseCreateMessage(await readFormFields(request))))),
    },
    {
      method: 'GET',
      path: exact(`${accountBase}/Messages.json`),
      handle: (_request, _match, query) => ok(toMessagePage(messages.list(), parseMessageListQuery(query), `${accountBase}/Messages.json`)),
    },
    { method: 'GET', path: exact(`${accountBase}/Messages/${SID}.json`), handle: (_request, match) => ok(toMessageResource(messages.find(match[1]))) },
  ];
  const controlRoutes: Route[] = [
    {
      method: 'GET',
      path: exact('/sim/calls'),
      handle: (_request, _match, query) => ok({ calls: calls.list(toFilter(query)).map((call) => toCallSnapshot(call, calls.queueTimeMs(call))) }),
    },
    { method: 'GET', path: exact('/sim/conferences'), handle: () => ok({ conferences: calls.conferences.list().map(toConferenceSnapshot) }) },
    {
      method: 'POST',
      path: exact('/sim/clients'),
      handle: async (request) => {
        const { identity, parameters } = clientLegBody(await readJsonBody(request));
        return created(await control.connectClient(identity, parameters));
      },
    },
    {
      method: 'DELETE',
      path: /^\/sim\/clients\/([^/]+)$/,
      handle: (_request, match) => ok({ calls: control.hangUpClient(decodeURIComponent(match[1])) }),
    },
    {
      method: 'GET',
      path: exact('/sim/messages'),
      handle: (_request, _match, query) => ok({ messages: messages.list(toMessageFilter(query)).map(toMessageSnapshot) }),
    },
    { method: 'POST', path: exact('/sim/inbound'), handle: async (request) => created(await control.injectInbound(await readJsonBody(request))) },
    { method: 'GET', path: exact('/sim/opt-outs'), handle: () => ok({ optOuts: control.optOuts() }) },
    { method: 'GET', path: exact('/sim/scenario'), handle: () => ok(control.scenario()) },
    { method: 'PUT', path: exact('/sim/scenario'), handle: async (request) => ok(control.setScenario(await readJsonBody(request))) },
    {
      method: 'POST',
      path: exact('/sim/reset'),
      handle: () => {
        control.reset();
        return ok({ status: 'reset' });
      },
    },
    { method: 'GET', path: exact('/sim/stats'), handle: () => ok(control.stats()) },
  ];

  const route = async (request: IncomingMessage): Promise<Reply> => {
    const url = new URL(request.url ?? '/', 'http://carrier-sim.invalid');
    const method = request.method ?? 'GET';
    if (url.pathname === '/health') return method === 'GET' ? ok({ status: 'ok' }) : notFound(method, url.pathname);
    const lookup = LOOKUP_PATH.exec(url.pathname);
    const isTwilio = url.pathname.startsWith('/2010-04-01/') || url.pathname.startsWith('/v2/');
    const isControl = url.pathname === '/sim' || url.pathname.startsWith('/sim/');
    if (!isTwilio && !isControl) return notFound(method, url.pathname);
    const account = ACCOUNT_PATH.exec(url.pathname);
    const authorized = credentialsMatch(parseBasicAuthorization(request.headers.authorization), {
      username: dependencies.accountSid,
      password: dependencies.authToken,
    });
    if (!authorized || (account && account[1] !== dependencies.accountSid)) {
      dependencies.log({ level: 'warn', message: 'request refused: bad credentials', method, path: isControl ? url.pathname : '/2010-04-01/…' });
      return { status: 401, body: twilioErrorBody(401, TWILIO_ERROR.authenticate, 'Authenticate') };
    }
    if (lookup && method === 'GET') {
      return ok(
        toPhoneNumberLookupResource(control.scenario(), {
          phoneNumber: decodeURIComponent(lookup[1]),
          fields: (url.searchParams.get('Fields') ?? '').split(',').map((field) => field.trim()),
          countryCode: url.searchParams.get('CountryCode'),
          baseUrl: `http://${request.headers.host ?? 'carrier-sim.invalid'}`,
        }),
      );
    }
    const candidates = isControl ? controlRoutes : twilioRoutes;
    for (const candidate of candidates) {
      const match = candidate.method === method ? candidate.path.exec(url.pathname) : null;
      if (match) return candidate.handle(request, match, url.searchParams);
    }
    if (isControl) return notFound(method, url.pathname);
    return { status: 501, body: twilioErrorBody(501, TWILIO_ERROR.notImplemented, `${method} ${url.pathname} is not simulated`) };
  };

  return async (request, response) => {
    let reply: Reply;
    try {
      reply = await route(request);
    } catch (error) {
      reply = errorReply(error, dependencies.log);
    }
    request.resume();
    const text = JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      ...(reply.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {}),
    });
    response.end(text);
  };
}

function errorReply(error: unknown, log: SimulatorLog): Reply {
  if (error instanceof TwilioApiException) return { status: error.status, body: error.toBody() };
  if (error instanceof ScenarioValidationException) return { status: 400, body: twilioErrorBody(400, TWILIO_ERROR.invalidParameter, error.message) };
  log({
    level: 'error',
    message: 'request failed',
    error: error instanceof Error ? { type: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return { status: 500, body: twilioErrorBody(500, TWILIO_ERROR.internalError, 'Internal Server Error') };
}

function exact(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.]/g, '\\.')}$`);
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function created(body: unknown): Reply {
  return { status: 201, body };
}

function notFound(method: string, path: string): Reply {
  return { status: 404, body: twilioErrorBody(404, TWILIO_ERROR.notFound, `The requested resource ${method} ${path} was not found`) };
}

/** POST /sim/clients: `{"identity": "session-…", "parameters": {"Foo": "bar"}}`. */
function clientLegBody(body: unknown): { identity: string; parameters: Record<string, string> } {
  const fields = (body ?? {}) as { identity?: unknown; parameters?: unknown };
  if (typeof fields.identity !== 'string' || !/^[^\s:]{1,121}$/.test(fields.identity)) {
    throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, 'identity must be a client identity of 1 to 121 characters, without spaces or colons');
  }
  const parameters = fields.parameters ?? {};
  if (typeof parameters !== 'object' || parameters === null || Object.values(parameters).some((value) => typeof value !== 'string')) {
    throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, 'parameters must be an object of strings');
  }
  return { identity: fields.identity, parameters: parameters as Record<string, string> };
}

/** `?to=` filters by number; an unencoded `+` arrives as a space and is read back as `+`. */
function toFilter(query: URLSearchParams): { to?: string } {
  const to = query.get('to');
  return to === null ? {} : { to: to.replace(/^ /, '+') };
}

/** `?to=` and `?from=`, read as toFilter reads `to`. */
function toMessageFilter(query: URLSearchParams): MessageFilter {
  const from = query.get('from');
  return { ...toFilter(query), ...(from === null ? {} : { from: from.replace(/^ /, '+') }) };
}
