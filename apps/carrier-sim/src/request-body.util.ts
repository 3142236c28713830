import type { IncomingMessage } from 'node:http';
import { TWILIO_ERROR, TwilioApiException } from './twilio-api.exception';

const MAX_BODY_BYTES = 1024 * 1024;

/** The fields of a form-urlencoded body; a field may repeat (`StatusCallbackEvent=ringing&StatusCallbackEvent=answered`). */
export class FormFields {
  private readonly values = new Map<string, string[]>();

  constructor(encoded: string) {
    for (const [name, value] of new URLSearchParams(encoded)) {
      const list = this.values.get(name);
      if (list) list.push(value);
      else this.values.set(name, [value]);
    }
  }

  /** The first value, or undefined when the field is absent. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  all(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

export async function readBodyText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > MAX_BODY_BYTES) throw new TwilioApiException(413, TWILIO_ERROR.invalidParameter, `The request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readFormFields(request: IncomingMessage): Promise<FormFields> {
  return new FormFields(await readBodyText(request));
}

export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TwilioApiException(400, TWILIO_ERROR.invalidParameter, 'The request body is not valid JSON');
  }
}
