/** The shape of every error the API returns (documented for OpenAPI by the api's ErrorResponseDto). */
export interface ErrorResponseBody {
  readonly statusCode: number;
  /** A stable machine-readable code. */
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  /** Ties the response to the logs. */
  readonly correlationId: string;
}
