import { ApiProperty } from '@nestjs/swagger';

export class HealthResponseDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { postgres: { status: 'up', responseTimeMs: 1 }, redis: { status: 'up', responseTimeMs: 0 } },
  })
  dependencies!: Record<string, { status: 'up' | 'down'; responseTimeMs: number; error?: string }>;
}
