import type { Command } from 'commander';
import { decide } from '@app/dialer';
import {
  applyScenarios,
  isStressScenarioName,
  PARAMETER_SET_NAMES,
  PARAMETER_SETS,
  simulatePhoneBank,
  STRESS_SCENARIO_NAMES,
  type ParameterSetName,
  type SimulationParameters,
  type SimulationResult,
  type StressScenarioName,
} from '@app/dialer/simulation';
import { UsageError } from './database.command';

interface SimulateOptions {
  mode?: string;
  volunteers?: string;
  pHuman?: string;
  pMachine?: string;
  pFail?: string;
  talkMean?: string;
  talkSd?: string;
  wrapMean?: string;
  wrapSd?: string;
  cps?: string;
  hours?: string;
  seed?: string;
  set?: string;
  scenario: string[];
  tickMs?: string;
}

const MAX_SEED = 0xffff_ffff;

/** `dialer simulate`: the phone-bank simulation in virtual time against the real pacer. Pure computation: no database, no Nest application. */
export function registerDialerCommands(program: Command): void {
  const dialer = program.command('dialer').description('predictive dialer: simulate a phone bank against the pacer');
  dialer
    .command('simulate')
    .description('run a phone bank in virtual time against the pacer; a summary on stderr, one JSON line of metrics on stdout')
    .option('--set <name>', `fill every model flag from a parameter set (${PARAMETER_SET_NAMES.join(' | ')}); explicit flags override it`)
    .option('--mode <mode>', 'power (the pacer in power 1:1) | predictive (the pacer deciding by itself)')
    .option('--volunteers <n>', 'volunteers logged in')
    .option('--p-human <p>', 'share of started dials answered by a live human')
    .option('--p-machine <p>', 'share answered by a machine')
    .option('--p-fail <p>', 'share busy or failed (the rest ring out unanswered)')
    .option('--talk-mean <seconds>', 'mean conversation length')
    .option('--talk-sd <seconds>', 'standard deviation of the conversation length')
    .option('--wrap-mean <seconds>', 'mean wrap-up length')
    .option('--wrap-sd <seconds>', 'standard deviation of the wrap-up length')
    .option('--cps <calls>', "the carrier's calls per second")
    .option('--hours <hours>', 'measured hours per shift, after a 15-minute warm-up')
    .option('--seed <n>', 'seed: the same flags and seed give the same run', '1')
    .option('--scenario <name>', `stress scenario, repeatable or comma-separated: ${STRESS_SCENARIO_NAMES.join(', ')}`, collect, [])
    .option('--tick-ms <ms>', 'periodic pacing tick in virtual milliseconds (default 1000)')
    .action((options: SimulateOptions) => simulate(options));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',')];
}

function simulate(options: SimulateOptions): void {
  const parameters = parametersFrom(options);
  const started = performance.now();
  const result = simulatePhoneBank(parameters, decide);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(summary(parameters, options, result, seconds));
  const shiftRates = result.shifts.map((shift) => rounded(shift.abandonRate));
  process.stdout.write(
    `${JSON.stringify({
      conversationsPerVolunteerHour: rounded(result.conversationsPerVolunteerHour),
      utilization: rounded(result.utilization),
      abandonRate: rounded(result.abandonRate),
      dials: result.dials,
      conversations: result.conversations,
      wrongWindowDials: result.wrongWindowDials,
      shortRings: result.shortRings,
      oracleBound: rounded(result.oracleBound),
      ratioToOracle: rounded(result.ratioToOracle),
      observedAbandonRate: rounded(result.observedAbandonRate),
      liveAnswers: result.liveAnswers,
      abandoned: result.abandoned,
      automaticMobileDials: result.automaticMobileDials,
      dialsPerConversation: rounded(result.dialsPerConversation),
      meanWaitBetweenCallsSeconds: rounded(result.meanWaitBetweenCallsSeconds),
      p90WaitBetweenCallsSeconds: rounded(result.p90WaitBetweenCallsSeconds),
      maxLinesInFlight: result.maxLinesInFlight,
      volunteerHours: rounded(result.volunteerHours),
      shifts: result.shifts.length,
      ...(result.shifts.length > 1
        ? { shiftAbandonRates: shiftRates, worstShiftAbandonRate: rounded(Math.max(...result.shifts.map((shift) => shift.abandonRate))) }
        : {}),
      seconds: rounded(seconds),
    })}\n`,
  );
}

function parametersFrom(options: SimulateOptions): SimulationParameters {
  let base: SimulationParameters | null = null;
  if (options.set !== undefined) {
    const name = options.set.trim().toUpperCase();
    if (!(PARAMETER_SET_NAMES as readonly string[]).includes(name))
      throw new UsageError(`--set must be one of ${PARAMETER_SET_NAMES.join(', ')}, got "${options.set}"`);
    base = PARAMETER_SETS[name as ParameterSetName];
  } else {
    const required: Array<[keyof SimulateOptions, string]> = [
      ['mode', '--mode'],
      ['volunteers', '--volunteers'],
      ['pHuman', '--p-human'],
      ['pMachine', '--p-machine'],
      ['pFail', '--p-fail'],
      ['talkMean', '--talk-mean'],
      ['talkSd', '--talk-sd'],
      ['wrapMean', '--wrap-mean'],
      ['wrapSd', '--wrap-sd'],
      ['cps', '--cps'],
      ['hours', '--hours'],
    ];
    const missing = required.filter(([key]) => options[key] === undefined).map(([, flag]) => flag);
    if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (or give --set ${PARAMETER_SET_NAMES.join('|')} for defaults)`);
  }
  const mode = options.mode ?? base?.mode;
  if (mode !== 'power' && mode !== 'predictive') throw new UsageError(`--mode must be power or predictive, got "${options.mode}"`);
  const human = probability(options.pHuman, '--p-human', base?.outcomes.human);
  const machine = probability(options.pMachine, '--p-machine', base?.outcomes.machine);
  const failed = probability(options.pFail, '--p-fail', base?.outcomes.failed);
  if (human + machine + failed > 1 + 1e-9) throw new UsageError(`--p-human + --p-machine + --p-fail must be at most 1, got ${human + machine + failed}`);
  if (human === 0) throw new UsageError('--p-human must be above 0: no dial would ever reach anyone');
  const hours = positive(options.hours, '--hours', base?.hours);
  const warmUpMinutes = base?.warmUpMinutes ?? PARAMETER_SETS.S5.warmUpMinutes;
  if (hours + warmUpMinutes / 60 >= 24)
    throw new UsageError(`--hours must leave the shift (with its ${warmUpMinutes}-minute warm-up) shorter than a day, got ${hours}`);
  const template = base ?? PARAMETER_SETS.S5;
  // Long shifts start earlier so that they still end by 21:00 in the leads' time zone when they can.
  const shiftStartLocalHour = Math.max(8, Math.min(template.shiftStartLocalHour, 21 - hours - warmUpMinutes / 60));
  const parameters: SimulationParameters = {
    ...template,
    seed: seed(options.seed ?? '1'),
    mode,
    volunteers: wholeNumber(options.volunteers, '--volunteers', base?.volunteers),
    outcomes: { human, machine, failed },
    talk: { mean: positive(options.talkMean, '--talk-mean', base?.talk.mean), sd: nonNegative(options.talkSd, '--talk-sd', base?.talk.sd) },
    wrapUp: { mean: positive(options.wrapMean, '--wrap-mean', base?.wrapUp.mean), sd: nonNegative(options.wrapSd, '--wrap-sd', base?.wrapUp.sd) },
    callsPerSecond: positive(options.cps, '--cps', base?.callsPerSecond),
    hours,
    shiftStartLocalHour,
    tickMs: positive(options.tickMs, '--tick-ms', template.tickMs),
    settings: { ...template.settings, powerLinesPerVolunteer: 1 },
  };
  return applyScenarios(parameters, scenarioNames(options.scenario));
}

function scenarioNames(raw: readonly string[]): StressScenarioName[] {
  const names = raw.map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isStressScenarioName(name));
  if (unknown.length > 0) throw new UsageError(`--scenario ${unknown.join(', ')}: unknown; one of ${STRESS_SCENARIO_NAMES.join(', ')}`);
  return names as StressScenarioName[];
}

function numberFrom(raw: string, flag: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  return value;
}

/** The flag's value, else the parameter set's; one of them is there (checked above). */
function valueOf(raw: string | undefined, flag: string, fallback: number | undefined): number {
  if (raw !== undefined) return numberFrom(raw, flag);
  if (fallback === undefined) throw new UsageError(`missing ${flag}`);
  return fallback;
}

function probability(raw: string | undefined, flag: string, fallback: number | undefined): number {
  const value = valueOf(raw, flag, fallback);
  if (value < 0 || value > 1) throw new UsageError(`${flag} must be a probability in [0, 1], got "${raw}"`);
  return value;
}

function positive(raw: string | undefined, flag: string, fallback: number | undefined): number {
  const value = valueOf(raw, flag, fallback);
  if (!(value > 0)) throw new UsageError(`${flag} must be a positive number, got "${raw}"`);
  return value;
}

/** Standard deviations may be 0 (a fixed duration). */
function nonNegative(raw: string | undefined, flag: string, fallback: number | undefined): number {
  const value = valueOf(raw, flag, fallback);
  if (value < 0) throw new UsageError(`${flag} must be a number ≥ 0, got "${raw}"`);
  return value;
}

function wholeNumber(raw: string | undefined, flag: string, fallback: number | undefined): number {
  const value = valueOf(raw, flag, fallback);
  if (!Number.isSafeInteger(value) || value < 1 || (raw !== undefined && !/^\s*\d+\s*$/.test(raw)))
    throw new UsageError(`${flag} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

function seed(raw: string): number {
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value > MAX_SEED)
    throw new UsageError(`--seed must be a whole number from 0 to ${MAX_SEED}, got "${raw}"`);
  return value;
}

function rounded(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(4)) : null;
}

function summary(parameters: SimulationParameters, options: SimulateOptions, result: SimulationResult, seconds: number): string {
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  const scenarios = scenarioNames(options.scenario);
  const shifts = result.shifts.length;
  const lines = [
    `dialer simulate: ${parameters.volunteers} volunteers, ${parameters.mode}, ${parameters.hours} h measured after a ${parameters.warmUpMinutes}-minute warm-up` +
      `${shifts > 1 ? ` × ${shifts} shifts` : ''}, seed ${parameters.seed}${scenarios.length > 0 ? `, scenarios ${scenarios.join(', ')}` : ''}`,
    `  ${result.conversationsPerVolunteerHour.toFixed(2)} conversations per volunteer-hour: ${result.ratioToOracle.toFixed(3)} of the ${result.oracleBound.toFixed(2)} bound; utilization ${result.utilization.toFixed(3)}`,
    `  abandonment ${percent(result.abandonRate)} ground truth (${result.abandoned} of ${result.liveAnswers} live answers), ${percent(result.observedAbandonRate)} as the dialer saw it`,
    `  ${result.dials} dials, ${result.conversations} conversations (${result.dialsPerConversation.toFixed(1)} dials each); wait between calls ${result.meanWaitBetweenCallsSeconds.toFixed(1)} s mean, ${result.p90WaitBetweenCallsSeconds.toFixed(1)} s p90; at most ${result.maxLinesInFlight} lines in flight`,
    `  compliance: ${result.wrongWindowDials} dials outside the calling window, ${result.shortRings} short rings, ${result.automaticMobileDials} automatic mobile dials`,
  ];
  if (parameters.hours + parameters.warmUpMinutes / 60 > 13)
    lines.push('  note: the shift is longer than the 08:00–21:00 calling window; no lead is dialed after 21:00');
  if (shifts > 1)
    lines.push(`  worst shift abandonment ${percent(Math.max(...result.shifts.map((shift) => shift.abandonRate)))} (campaign ${percent(result.abandonRate)})`);
  lines.push(`  ${result.events} events, ${result.decisions} decisions in ${seconds.toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}
