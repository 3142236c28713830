import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { HealthService } from '@app/observability';
import { HealthResponseDto, mapHealthReport } from './health-response.dto';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ type: HealthResponseDto, description: 'PostgreSQL and Redis both answer' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Names the dependency that does not answer' })
  async check(): Promise<HealthResponseDto> {
    return mapHealthReport(await this.health.assertHealthy());
  }
}
