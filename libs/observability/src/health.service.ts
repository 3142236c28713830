import { Inject, Injectable } from '@nestjs/common';

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
  readonly error?: string;
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
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: readonly HealthIndicator[]) {}

  async report(): Promise<HealthReport> {
    const results = await Promise.all(this.indicators.map(async (indicator) => [indicator.name, await timed(indicator)] as const));
    const dependencies = Object.fromEntries(results);
    const down = results.filter(([, result]) => result.status === 'down').map(([name]) => name);
    return { status: down.length === 0 ? 'ok' : 'error', dependencies, down };
  }
}

async function timed(indicator: HealthIndicator): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      indicator.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', responseTimeMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the driver's short message: no connection strings or stack in a public endpoint.
    const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : 'unreachable';
    return { status: 'down', responseTimeMs: Math.round(performance.now() - started), error: message };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
