import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The shape of every error the API returns. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'not_found', description: 'A stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Queue probe 6f1c… was not found' })
  message!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;

  @ApiProperty({ description: 'Quote this when reporting a problem; it ties the response to the logs' })
  correlationId!: string;
}
