import { Readable } from 'node:stream';
import { assertUnreachable } from '@app/common';
import { CaliforniaSyntheticGenerator } from './california-synthetic.generator';
import { NcvoterSyntheticGenerator, type SyntheticFileOptions } from './ncvoter-synthetic.generator';
import { OhioSyntheticGenerator } from './ohio-synthetic.generator';

export const SYNTHETIC_FORMATS = ['ncvoter', 'ohio', 'california'] as const;
export type SyntheticFormat = (typeof SYNTHETIC_FORMATS)[number];

export interface SyntheticVoterFileOptions extends SyntheticFileOptions {
  readonly format: SyntheticFormat;
  /** Real state files come in Latin-1 as often as UTF-8; every format is written in either. */
  readonly encoding: 'utf8' | 'latin1';
}

const LINES_PER_CHUNK = 2000;

/** The whole file as a stream in chunks of lines, so a million rows never sit in memory at once. */
export function syntheticVoterFile(options: SyntheticVoterFileOptions): Readable {
  const generator = generatorFor(options);
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

// `quoted` concerns only ncvoter: Ohio files are always quoted CSV, California's never quoted.
function generatorFor(options: SyntheticVoterFileOptions): { lines(): Generator<string> } {
  const { rows, seed } = options;
  switch (options.format) {
    case 'ncvoter':
      return new NcvoterSyntheticGenerator({ rows, seed, quoted: options.quoted });
    case 'ohio':
      return new OhioSyntheticGenerator({ rows, seed });
    case 'california':
      return new CaliforniaSyntheticGenerator({ rows, seed });
    default:
      return assertUnreachable(options.format);
  }
}
