import { ApiProperty } from '@nestjs/swagger';
import type { HealthReport } from '@app/observability';

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { postgres: { status: 'up', responseTimeMs: 1 }, redis: { status: 'up', responseTimeMs: 0 } },
  })
  dependencies!: HealthReport['dependencies'];
}

export function mapHealthReport(report: HealthReport): HealthResponseDto {
  return { status: 'ok', dependencies: report.dependencies };
}
