// Generated types as JSON.parse hands them over.

/**
 * JSON has no bigint: wherever ts-rs wrote `bigint` for an i64, the value on the wire is a
 * plain number (serde_json writes it as one, JSON.parse reads it as one). This maps the
 * generated type to what really arrives; a no-op once the generator emits `number`.
 */
export type Json<T> = T extends bigint
  ? number
  : T extends ReadonlyArray<infer U>
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;
