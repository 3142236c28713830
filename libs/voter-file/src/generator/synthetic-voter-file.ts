import { Readable } from 'node:stream';
import { NcvoterSyntheticGenerator, type SyntheticFileOptions } from './ncvoter-synthetic.generator';

export const SYNTHETIC_FORMATS = ['ncvoter'] as const;
export type SyntheticFormat = (typeof SYNTHETIC_FORMATS)[number];

export interface SyntheticVoterFileOptions extends SyntheticFileOptions {
  readonly format: SyntheticFormat;
  /** Real NC files come in Latin-1 as often as UTF-8. */
  readonly encoding: 'utf8' | 'latin1';
}

const LINES_PER_CHUNK = 2000;

/** The whole file as a stream in chunks of lines, so a million rows never sit in memory at once. */
export function syntheticVoterFile(options: SyntheticVoterFileOptions): Readable {
  const generator = new NcvoterSyntheticGenerator(options);
  function* chunks(): Generator<Buffer> {
    let batch: string[] = [];
    for (const line of generator.lines()) {
      batch.push(line);
      if (batch.length === LINES_PER_CHUNK) {
        yield Buffer.from(`${batch.join('\n')}\n`, options.encoding);
        batch = [];
      }
    }
    if (batch.length > 0) yield Buffer.from(`${batch.join('\n')}\n`, options.encoding);
  }
  return Readable.from(chunks(), { objectMode: false });
}
