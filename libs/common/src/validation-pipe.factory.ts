import { ValidationPipe } from '@nestjs/common';

/** Unknown properties are rejected (not silently dropped), so a typo in a request is an error that names it. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    // Empty DTOs (endpoints that take no body) still reject every property, by name.
    forbidUnknownValues: false,
    stopAtFirstError: false,
  });
}
