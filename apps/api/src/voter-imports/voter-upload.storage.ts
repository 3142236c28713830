import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { DynamicModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { AppConfig } from '@app/config';

/** Uploads stream to the configured directory (shared with the import worker) under a random name, up to the size limit. */
export class VoterUploadStorage {
  static register(): DynamicModule {
    return MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        mkdirSync(config.voterFiles.uploadDirectory, { recursive: true });
        return {
          storage: diskStorage({
            destination: config.voterFiles.uploadDirectory,
            filename: (_request, _file, callback) => callback(null, `${randomUUID()}.upload`),
          }),
          limits: { fileSize: config.voterFiles.maxUploadBytes, files: 1, fields: 10, fieldSize: 200_000 },
        };
      },
    });
  }
}
