import type { ErrorResponseBody } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Every error the API returns, as OpenAPI documents it; kept here so only the api process loads swagger. */
export class ErrorResponseDto implements ErrorResponseBody {
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
