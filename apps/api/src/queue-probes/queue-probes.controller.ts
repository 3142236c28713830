import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { QueueProbeService } from '@app/queue';
import { mapQueueProbeBatch, QueueProbeBatchDto, QueueProbeBatchParamsDto, StartQueueProbesDto } from './queue-probe-batch.dto';

@ApiTags('operations')
@Controller('system/queue-probes')
export class QueueProbesController {
  constructor(private readonly probes: QueueProbeService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send one probe job through every queue to prove the workers consume them' })
  @ApiAcceptedResponse({ type: QueueProbeBatchDto })
  async start(@Body() _body: StartQueueProbesDto): Promise<QueueProbeBatchDto> {
    const { batchId, probes } = await this.probes.start();
    return mapQueueProbeBatch(batchId, probes);
  }

  @Get(':batchId')
  @ApiOkResponse({ type: QueueProbeBatchDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@Param() { batchId }: QueueProbeBatchParamsDto): Promise<QueueProbeBatchDto> {
    return mapQueueProbeBatch(batchId, await this.probes.findBatch(batchId));
  }
}
