import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@app/common';

export interface HealthIndicatorResult {
  readonly status: 'up';
}

/** One dependency the process needs (postgres, redis); `check` throws or times out when it is down. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthIndicatorResult>;
}

export interface DependencyHealth {
  readonly status: 'up' | 'down';
  readonly responseTimeMs: number;
  /** `timeout` or `unreachable`: what an outsider may know. */
  readonly error?: 'timeout' | 'unreachable';
}

interface CheckOutcome {
  readonly status: 'up' | 'down';
  readonly responseTimeMs: number;
  readonly error?: { readonly kind: 'timeout' | 'unreachable'; readonly cause: unknown };
}

export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly dependencies: Record<string, DependencyHealth>;
  readonly down: string[];
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
const CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: readonly HealthIndicator[]) {}

  /** The report when every dependency answers; otherwise a 503-mapped exception naming the ones that do not. */
  async assertHealthy(): Promise<HealthReport> {
    const report = await this.report();
    if (report.status === 'error') {
      throw new DomainException(DomainErrorCode.DependencyUnavailable, `${report.down.join(' and ')} not answering`, {
        down: report.down,
        dependencies: report.dependencies,
      });
    }
    return report;
  }

  async report(): Promise<HealthReport> {
    const results = await Promise.all(
      this.indicators.map(async (indicator) => {
        const result = await timed(indicator);
        // The driver's words (user names, hosts) go to the log, never into the public answer.
        if (result.error) this.logger.warn({ dependency: indicator.name, kind: result.error.kind, err: result.error.cause }, 'dependency not answering');
        return [
          indicator.name,
          { status: result.status, responseTimeMs: result.responseTimeMs, ...(result.error ? { error: result.error.kind } : {}) },
        ] as const;
      }),
    );
    const dependencies = Object.fromEntries(results);
    const down = results.filter(([, result]) => result.status === 'down').map(([name]) => name);
    return { status: down.length === 0 ? 'ok' : 'error', dependencies, down };
  }
}

class CheckTimeoutError extends Error {}

async function timed(indicator: HealthIndicator): Promise<CheckOutcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      indicator.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeoutError(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', responseTimeMs: Math.round(performance.now() - started) };
  } catch (error) {
    const kind = error instanceof CheckTimeoutError ? 'timeout' : 'unreachable';
    return { status: 'down', responseTimeMs: Math.round(performance.now() - started), error: { kind, cause: error } };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
