import type { Command } from 'commander';
import { ProgressReconciliationService, ProgressSummaryService } from '@app/contacts';
import { AllianceLookupService } from '@app/identity';
import { printResult, withApplication, withServices } from '../cli-context';
import { asUsage } from './database.command';

/** `progress`: the alliance's figures against its target, exact (attempts still queued are counted first). */
export function registerProgressCommands(program: Command): void {
  const progress = program
    .command('progress')
    .description('unique voters reached, conversations, attempts and voters open to reform, against the alliance’s target')
    .option('--alliance <slug>', 'the alliance (default: the only one)')
    .action((options: { alliance?: string }) => summary(options.alliance));
  progress
    .command('reconcile')
    .description('compare the progress rollups with the raw contact attempts and report every cell that differs')
    .option('--alliance <slug>', 'the alliance (default: the only one)')
    .option('--rebuild', 'count a drifted alliance afresh from its attempts')
    .action((options: { alliance?: string; rebuild?: boolean }) => reconcile(options.alliance, options.rebuild === true));
}

async function summary(allianceSlug: string | undefined): Promise<void> {
  await withServices((session) =>
    withApplication(session, async (app) => {
      const alliance = await asUsage(() => app.get(AllianceLookupService).resolve(allianceSlug));
      const figures = await app.get(ProgressSummaryService).allianceSummary(alliance.id, { countQueued: true });
      process.stderr.write(
        `${alliance.slug}: ${figures.uniqueVotersReached.toLocaleString('en-US')} of ${figures.target.voters.toLocaleString('en-US')} voters reached by ${figures.target.targetDate}\n`,
      );
      printResult({
        alliance: alliance.slug,
        target: figures.target.voters,
        targetDate: figures.target.targetDate,
        uniqueVotersReached: figures.uniqueVotersReached,
        conversations: figures.conversations,
        attempts: figures.attempts,
        openToReform: figures.openToReform,
      });
    }),
  );
}

async function reconcile(allianceSlug: string | undefined, rebuild: boolean): Promise<void> {
  await withServices((session) =>
    withApplication(session, async (app) => {
      const alliance = await asUsage(() => app.get(AllianceLookupService).resolve(allianceSlug));
      const report = await app.get(ProgressReconciliationService).reconcile(alliance.id, { rebuild });
      if (report.driftedCells > 0 && !report.rebuilt) process.exitCode = 1;
      printResult(report);
    }),
  );
}
