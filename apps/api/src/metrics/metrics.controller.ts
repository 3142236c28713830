import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { QueueDepthCollector } from './queue-depth.collector';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly queueDepth: QueueDepthCollector) {}

  // @Res because the body is Prometheus text, not JSON.
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async scrape(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.queueDepth.scrape();
    response.type(contentType).send(body);
  }
}
