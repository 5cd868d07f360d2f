// Every generated wire type under one name, for api/index.ts (generated/ is rewritten whole
// by `cargo test -p site`, so this list lives beside it).
export type { ApiError } from "./generated/ApiError";
export type { AuditEntry } from "./generated/AuditEntry";
export type { AuditQuery } from "./generated/AuditQuery";
export type { CategoryInfo } from "./generated/CategoryInfo";
export type { CategoryKind } from "./generated/CategoryKind";
export type { ErrorCode } from "./generated/ErrorCode";
export type { FileInfo } from "./generated/FileInfo";
export type { LocalizedInfo } from "./generated/LocalizedInfo";
export type { PrerequisiteInfo } from "./generated/PrerequisiteInfo";
export type { SiteEvent } from "./generated/SiteEvent";
export type { SiteInfo } from "./generated/SiteInfo";
export type { SortSpec } from "./generated/SortSpec";
export type { UpdateColumn } from "./generated/UpdateColumn";
export type { UpdateDetails } from "./generated/UpdateDetails";
export type { UpdatePage } from "./generated/UpdatePage";
export type { UpdateQuery } from "./generated/UpdateQuery";
export type { UpdateRef } from "./generated/UpdateRef";
export type { UpdateRow } from "./generated/UpdateRow";
