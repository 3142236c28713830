import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CallbackMethod } from './status-callback.sender';

/** Twilio's debugger codes for TwiML it cannot run. */
export const TWIML_ERROR = {
  /** The document is not well-formed XML. */
  documentParseFailure: 12100,
  /** Well-formed, but not TwiML the simulator can run (unknown verb, missing noun, bad attribute). */
  schemaValidation: 12200,
} as const;

/** A TwiML document that cannot be run; `code` is Twilio's debugger code. */
export class TwimlException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwimlException';
  }
}

/** <Dial><Conference> as the platform writes it (call-twiml.builder.ts); other attributes are read by Twilio, not here. */
export interface ConferenceSettings {
  readonly name: string;
  /** Default true: joining starts the conference (else the caller waits for someone who does). */
  readonly startConferenceOnEnter: boolean;
  /** Default false: leaving ends the conference for everyone, who go on after their <Dial>. */
  readonly endConferenceOnExit: boolean;
  /** true, false, onEnter or onExit; recorded only. */
  readonly beep: string;
  /** Hold music while waiting; '' is silence. null when not given (Twilio's default music). Recorded only. */
  readonly waitUrl: string | null;
}

export type TwimlVerb =
  | { readonly verb: 'Say'; readonly text: string; readonly loop: number }
  | { readonly verb: 'Play'; readonly url: string; readonly loop: number }
  | { readonly verb: 'Pause'; readonly lengthSeconds: number }
  | { readonly verb: 'Hangup' }
  | { readonly verb: 'Redirect'; readonly url: string; readonly method: CallbackMethod }
  | { readonly verb: 'Dial'; readonly conference: ConferenceSettings };

/** Twilio repeats a loop="0" <Say> or <Play> "until the call is hung up"; a thousand times stands for that. */
const ENDLESS_LOOP = 1000;

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Reads a TwiML document into the verbs the simulator runs: <Say>, <Play>, <Pause>, <Hangup>,
 * <Redirect> and <Dial><Conference>. Anything else is refused (TwimlException), so a flow the
 * simulator cannot play fails loudly instead of passing unnoticed.
 */
export function parseTwiml(document: string): TwimlVerb[] {
  const validation = XMLValidator.validate(document);
  if (validation !== true) throw new TwimlException(TWIML_ERROR.documentParseFailure, `The TwiML is not well-formed XML: ${validation.err.msg}`);
  const roots = (parser.parse(document) as OrderedNode[]).filter((node) => !('#text' in node) && !('#comment' in node));
  if (roots.length !== 1 || nameOf(roots[0]) !== 'Response') {
    throw new TwimlException(TWIML_ERROR.documentParseFailure, 'The TwiML document must have one <Response> root element');
  }
  return childrenOf(roots[0]).map(toVerb);
}

function toVerb(node: OrderedNode): TwimlVerb {
  const name = nameOf(node);
  const attributes = attributesOf(node);
  switch (name) {
    case 'Say':
      return { verb: 'Say', text: textOf(node), loop: loopOf(attributes) };
    case 'Play':
      return { verb: 'Play', url: textOf(node), loop: loopOf(attributes) };
    case 'Pause': {
      const length = attributes.length === undefined ? 1 : wholeNumber(attributes.length, 'Pause length');
      return { verb: 'Pause', lengthSeconds: length };
    }
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Redirect': {
      const url = textOf(node);
      if (url === '') throw new TwimlException(TWIML_ERROR.schemaValidation, '<Redirect> needs a URL');
      return { verb: 'Redirect', url, method: methodOf(attributes.method) };
    }
    case 'Dial':
      return { verb: 'Dial', conference: conferenceOf(node) };
    default:
      throw new TwimlException(TWIML_ERROR.schemaValidation, `<${name}> is not a verb the carrier simulator runs`);
  }
}

function conferenceOf(dial: OrderedNode): ConferenceSettings {
  const nouns = childrenOf(dial);
  if (nouns.length !== 1 || nameOf(nouns[0]) !== 'Conference') {
    const found = nouns.map(nameOf).join(', ') || (textOf(dial) === '' ? 'nothing' : 'a bare number');
    throw new TwimlException(TWIML_ERROR.schemaValidation, `<Dial> must hold one <Conference> in the carrier simulator, not ${found}`);
  }
  const conference = nouns[0];
  const attributes = attributesOf(conference);
  const name = textOf(conference);
  if (name === '') throw new TwimlException(TWIML_ERROR.schemaValidation, '<Conference> needs a name');
  return {
    name,
    startConferenceOnEnter: booleanOf(attributes.startConferenceOnEnter, true, 'startConferenceOnEnter'),
    endConferenceOnExit: booleanOf(attributes.endConferenceOnExit, false, 'endConferenceOnExit'),
    beep: attributes.beep ?? 'true',
    waitUrl: attributes.waitUrl ?? null,
  };
}

function nameOf(node: OrderedNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const content = node[nameOf(node)];
  return Array.isArray(content) ? (content as OrderedNode[]).filter((child) => !('#text' in child) && !('#comment' in child)) : [];
}

function textOf(node: OrderedNode): string {
  const content = node[nameOf(node)];
  if (!Array.isArray(content)) return '';
  return (content as OrderedNode[])
    .filter((child) => '#text' in child)
    .map((child) => String(child['#text']))
    .join('')
    .trim();
}

function attributesOf(node: OrderedNode): Readonly<Record<string, string>> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function loopOf(attributes: Readonly<Record<string, string>>): number {
  if (attributes.loop === undefined) return 1;
  const loop = wholeNumber(attributes.loop, 'loop');
  return loop === 0 ? ENDLESS_LOOP : loop;
}

function wholeNumber(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw new TwimlException(TWIML_ERROR.schemaValidation, `${what} must be a whole number, not "${value}"`);
  return Number(value);
}

function booleanOf(value: string | undefined, fallback: boolean, what: string): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new TwimlException(TWIML_ERROR.schemaValidation, `${what} must be true or false, not "${value}"`);
}

function methodOf(value: string | undefined): CallbackMethod {
  const method = (value ?? 'POST').toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new TwimlException(TWIML_ERROR.schemaValidation, `method must be GET or POST, not "${value}"`);
  return method;
}
