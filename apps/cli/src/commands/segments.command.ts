import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { allianceWideAccess } from '@app/database';
import { AllianceLookupService } from '@app/identity';
import { SegmentApplicationService, SegmentDistributionService, SegmentModelService, SegmentModelTrainingService, type SegmentActor } from '@app/segments';
import { printResult, withApplication, withServices } from '../cli-context';
import { asUsage, UsageError } from './database.command';

interface TrainOptions {
  poll: string;
  alliance?: string;
  name?: string;
  folds?: string;
  seed?: string;
  maxUnmatchedRate?: string;
}

/** `segments train | apply | export`: the data lead's classifier work, run in this process (no worker needed). */
export function registerSegmentCommands(program: Command): void {
  const segments = program.command('segments').description('values segments: train a model from a poll, apply it to every voter, export the result');
  segments
    .command('train')
    .description('train a model from a values poll (CSV voter_id,segment) with k-fold cross-validation')
    .requiredOption('--poll <file>', 'the poll: a header voter_id,segment, one respondent per line')
    .option('--alliance <slug>', 'the alliance (default: the only one)')
    .option('--name <name>', 'a name for the model')
    .option('--folds <k>', 'cross-validation folds (2–20)', '5')
    .option('--seed <n>', 'seed for the folds: the same poll and seed train the same model', '1')
    .option('--max-unmatched-rate <share>', 'refuse the poll when more than this share of its rows match no voter', '0.2')
    .action((options: TrainOptions) => train(options));
  segments
    .command('apply')
    .description('classify every active voter of the model’s alliance with it; it becomes the active model')
    .requiredOption('--model <id>', 'the model id')
    .action((options: { model: string }) => apply(options.model));
  segments
    .command('export')
    .description('write voter_id,segment,probability (source voter ids) for every voter the model classified, as CSV on stdout')
    .requiredOption('--model <id>', 'the model id')
    .action((options: { model: string }) => exportSegments(options.model));
}

async function train(options: TrainOptions): Promise<void> {
  const path = resolve(options.poll);
  if (!(await stat(path).catch(() => null))?.isFile()) throw new UsageError(`--poll ${options.poll}: no such file`);
  const content = await readFile(path);
  const folds = wholeNumber(options.folds ?? '5', '--folds');
  const seed = wholeNumber(options.seed ?? '1', '--seed');
  const maxUnmatchedRate = Number(options.maxUnmatchedRate ?? '0.2');
  await withServices((session) =>
    withApplication(session, async (app) => {
      const started = performance.now();
      const model = await asUsage(async () => {
        const alliance = await app.get(AllianceLookupService).resolve(options.alliance);
        return app.get(SegmentModelService).createTrained(ownerActor(alliance.id), {
          name: options.name,
          fileName: basename(path),
          content,
          folds,
          seed,
          maxUnmatchedRate,
        });
      });
      process.stderr.write(`training on ${model.poll?.matched ?? 0} respondents (${model.poll?.unmatched ?? 0} unmatched, ${options.folds ?? 5}-fold)…\n`);
      const trained = await app.get(SegmentModelTrainingService).train(model.id);
      if (!trained || trained.status !== 'ready' || !trained.evaluation) {
        process.stderr.write(`${trained?.errorMessage ?? 'training did not finish'}\n`);
        process.exitCode = 1;
      }
      const evaluation = trained?.evaluation;
      printResult({
        modelId: model.id,
        version: model.version,
        status: trained?.status ?? 'failed',
        matched: model.poll?.matched ?? 0,
        unmatched: model.poll?.unmatched ?? 0,
        inactive: model.poll?.inactive ?? 0,
        cvAccuracy: rounded(evaluation?.model.accuracy),
        macroF1: rounded(evaluation?.model.macroF1),
        logLoss: rounded(evaluation?.model.logLoss ?? undefined),
        baselineAccuracy: rounded(evaluation?.baseline.accuracy),
        rulesAccuracy: rounded(evaluation?.rules?.report.accuracy),
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      });
    }),
  );
}

async function apply(modelId: string): Promise<void> {
  await withServices((session) =>
    withApplication(session, async (app) => {
      const models = app.get(SegmentModelService);
      const applications = app.get(SegmentApplicationService);
      const allianceId = await models.allianceOf(modelId).catch(() => null);
      if (!allianceId) throw new UsageError(`--model ${modelId}: no such model`);
      const requested = await asUsage(() => applications.request(ownerActor(allianceId), modelId, null));
      const bar = process.stderr.isTTY
        ? new SingleBar({ stream: process.stderr, format: ' classifying |{bar}| {percentage}% · {value}/{total} voters', hideCursor: true })
        : null;
      let barStarted = false;
      const finished = await applications.run(requested.id, (progress) => {
        if (!bar) return;
        if (!barStarted) bar.start(Math.max(progress.votersTotal, 1), 0);
        barStarted = true;
        bar.update(progress.votersDone);
      });
      bar?.stop();
      if (finished?.status !== 'succeeded') {
        process.stderr.write(`${finished?.errorMessage ?? 'the run did not finish'}\n`);
        process.exitCode = 1;
      }
      printResult({
        modelId,
        applicationId: requested.id,
        status: finished?.status ?? 'failed',
        voters: finished?.votersDone ?? 0,
        seconds: Number((finished?.seconds ?? 0).toFixed(2)),
        distribution: finished?.distribution ?? {},
      });
    }),
  );
}

async function exportSegments(modelId: string): Promise<void> {
  await withServices((session) =>
    withApplication(session, async (app) => {
      const allianceId = await app
        .get(SegmentModelService)
        .allianceOf(modelId)
        .catch(() => null);
      if (!allianceId) throw new UsageError(`--model ${modelId}: no such model`);
      const csv = await asUsage(() => app.get(SegmentDistributionService).exportCsv(ownerActor(allianceId), modelId));
      await pipeline(csv, process.stdout, { end: false });
    }),
  );
}

/** The cli acts as the database's owner for the whole alliance, like the workers. */
function ownerActor(allianceId: string): SegmentActor {
  return { allianceId, userId: null, ...allianceWideAccess(allianceId) };
}

function wholeNumber(raw: string, flag: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  return value;
}

function rounded(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(4));
}
