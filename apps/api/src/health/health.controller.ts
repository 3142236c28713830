import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DomainErrorCode, DomainException, ErrorResponseDto } from '@app/common';
import { HealthService } from '@app/observability';
import { HealthResponseDto } from './health-response.dto';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ type: HealthResponseDto, description: 'PostgreSQL and Redis both answer' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'Names the dependency that does not answer' })
  async check(): Promise<HealthResponseDto> {
    const report = await this.health.report();
    if (report.status === 'error') {
      throw new DomainException(DomainErrorCode.DependencyUnavailable, `${report.down.join(' and ')} not answering`, {
        down: report.down,
        dependencies: report.dependencies,
      });
    }
    return { status: 'ok', dependencies: report.dependencies };
  }
}
