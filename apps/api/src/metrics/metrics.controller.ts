import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsService } from '@app/observability';
import { QueueDepthCollector } from './queue-depth.collector';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queueDepth: QueueDepthCollector,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async scrape(@Res() response: Response): Promise<void> {
    await this.queueDepth.refresh();
    response.type(this.metrics.contentType).send(await this.metrics.render());
  }
}
