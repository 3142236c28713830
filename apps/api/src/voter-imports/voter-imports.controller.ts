import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { correlationIdOf, DomainErrorCode, DomainException } from '@app/common';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AccessPolicyService, Permission, type SignedInUser } from '@app/identity';
import { authorizeForRecord } from '../auth/record-authorization';
import { RequireSession, SignedIn } from '../auth/signed-in.decorator';
import { DEFAULT_MAX_ERROR_RATE, type VoterFileFormat, VoterImportService } from '@app/voter-file';
import {
  mapVoterImport,
  mapVoterImportError,
  UploadVoterFileDto,
  VoterImportDto,
  VoterImportErrorPageDto,
  VoterImportErrorsQueryDto,
  VoterImportListDto,
  VoterImportListQueryDto,
  VoterImportParamsDto,
} from './voter-import.dto';

const LISTED_IMPORTS = 50;

@ApiTags('voter file')
@Controller('voter-imports')
@RequireSession()
export class VoterImportsController {
  constructor(
    private readonly imports: VoterImportService,
    private readonly policy: AccessPolicyService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  // Multer streams the upload to the upload directory as it arrives: a 2 GB file never sits in memory.
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Upload a voter file; it is imported by a job whose progress GET /voter-imports/{id} shows' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAcceptedResponse({ type: VoterImportDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async upload(
    @SignedIn() user: SignedInUser,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() fields: Record<string, unknown>,
    @Req() request: IncomingMessage,
  ): Promise<VoterImportDto> {
    if (!file) throw new DomainException(DomainErrorCode.ValidationFailed, 'Send the voter file as the multipart field named "file"');
    try {
      const options = await validUploadFields(fields);
      const authorization = await this.policy.authorize(user, { slug: options.alliance }, Permission.ImportVoters);
      const record = await this.imports.create({
        allianceId: authorization.allianceId,
        filePath: file.path,
        fileName: file.originalname.slice(0, 500) || 'upload',
        fileBytes: file.size,
        format: options.format as VoterFileFormat | undefined,
        mapping: options.mapping === undefined ? undefined : parseMapping(options.mapping),
        fullRefresh: options.full === 'true',
        maxErrorRate: options.maxErrorRate === undefined ? DEFAULT_MAX_ERROR_RATE : Number(options.maxErrorRate),
        correlationId: correlationIdOf(request),
      });
      await this.imports.enqueue(record.id);
      return mapVoterImport(record, 0);
    } catch (error) {
      // Refused input changes nothing: the uploaded file goes too.
      await rm(file.path, { force: true });
      throw error;
    }
  }

  @Get()
  @ApiOkResponse({ type: VoterImportListDto })
  async list(@SignedIn() user: SignedInUser, @Query() query: VoterImportListQueryDto): Promise<VoterImportListDto> {
    const authorization = await this.policy.authorize(user, { slug: query.alliance }, Permission.ReadVoterImports);
    const imports = await this.imports.listForAlliance(authorization.allianceId, LISTED_IMPORTS);
    return {
      imports: await Promise.all(imports.map(async (record) => mapVoterImport(record, await this.imports.countProblems(record.id, authorization.rowScope)))),
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: VoterImportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async find(@SignedIn() user: SignedInUser, @Param() { id }: VoterImportParamsDto): Promise<VoterImportDto> {
    const { record, authorization } = await this.authorizedImport(user, id);
    return mapVoterImport(record, await this.imports.countProblems(id, authorization.rowScope));
  }

  @Get(':id/errors')
  @ApiOperation({ summary: 'The problems found in the file: each line, column and reason' })
  @ApiOkResponse({ type: VoterImportErrorPageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async errors(
    @SignedIn() user: SignedInUser,
    @Param() { id }: VoterImportParamsDto,
    @Query() query: VoterImportErrorsQueryDto,
  ): Promise<VoterImportErrorPageDto> {
    const { authorization } = await this.authorizedImport(user, id);
    const page = await this.imports.findProblems(id, query.after, query.limit ?? 100, authorization.rowScope);
    return { errors: page.problems.map(mapVoterImportError), nextCursor: page.nextCursor };
  }

  /** Another alliance's import answers as a missing one would. */
  private async authorizedImport(user: SignedInUser, id: string) {
    const record = await this.imports.findById(id);
    const authorization = await authorizeForRecord(this.policy, user, { what: 'Voter import', id, allianceId: record.allianceId }, Permission.ReadVoterImports);
    return { record, authorization };
  }
}

/** Validated here rather than by the global pipe, so a refusal can still delete the uploaded file. */
async function validUploadFields(fields: Record<string, unknown>): Promise<UploadVoterFileDto> {
  const dto = plainToInstance(UploadVoterFileDto, fields);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? { unknown: `${error.property} is not a known field` }));
    throw new DomainException(DomainErrorCode.ValidationFailed, messages.join('; '), { fields: errors.map((error) => error.property) });
  }
  return dto;
}

function parseMapping(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DomainException(DomainErrorCode.ValidationFailed, `mapping is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
