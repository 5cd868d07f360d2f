// Turning every way a call can fail into one ApiError shape, so the UI branches on `code` only.
import type { ApiError } from "./generated/ApiError";
import type { ErrorCode } from "./generated/ErrorCode";

const CODES: readonly ErrorCode[] = [
  "NotFound",
  "Validation",
  "Conflict",
  "Unauthorized",
  "Forbidden",
  "Unavailable",
  "Internal",
];

/** Thrown (rejected) by `call`: carries the backend's ApiError unchanged. */
export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly apiError: ApiError;
  constructor(apiError: ApiError) {
    super(apiError.message);
    this.name = "ApiFailure";
    this.code = apiError.code;
    this.apiError = apiError;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (CODES as readonly string[]).includes(value);
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === "string";
}

/** The code an HTTP status stands for when the body is not an ApiError (proxies, crashes). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return "Validation";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 502:
    case 503:
    case 504:
      return "Unavailable";
    default:
      return "Internal";
  }
}

/** Any rejection value (ApiError object, ApiFailure, Error, string) as an ApiFailure. */
export function toApiFailure(reason: unknown, fallback: ErrorCode = "Internal"): ApiFailure {
  if (reason instanceof ApiFailure) return reason;
  if (isApiError(reason)) return new ApiFailure({ code: reason.code, message: reason.message });
  if (typeof reason === "string") {
    // Tauri hands back a JSON string when a command serializes its error itself.
    try {
      const parsed: unknown = JSON.parse(reason);
      if (isApiError(parsed)) return new ApiFailure(parsed);
    } catch {
      /* plain text */
    }
    return new ApiFailure({ code: fallback, message: reason });
  }
  if (reason instanceof Error) return new ApiFailure({ code: fallback, message: reason.message });
  return new ApiFailure({ code: fallback, message: String(reason) });
}
