// The computer wire types this folder uses, as JSON.parse hands them over. They come from
// the generated contract (src-tauri/crates/site/src/wire/computers.rs); nothing here is
// written by hand.
import type { Json } from "../../api";
import type { Compliance as GCompliance } from "../../api/generated/Compliance";
import type { ComputerColumn as GComputerColumn } from "../../api/generated/ComputerColumn";
import type { ComputerDetails as GComputerDetails } from "../../api/generated/ComputerDetails";
import type { ComputerQuery as GComputerQuery } from "../../api/generated/ComputerQuery";
import type { ComputerSettings as GComputerSettings } from "../../api/generated/ComputerSettings";
import type { ComputerRow as GComputerRow } from "../../api/generated/ComputerRow";
import type { ComputerUpdateState as GComputerUpdateState } from "../../api/generated/ComputerUpdateState";
import type { UpdateStatus as GUpdateStatus } from "../../api/generated/UpdateStatus";
import type { UpdateStatusComputer as GUpdateStatusComputer } from "../../api/generated/UpdateStatusComputer";
import type { UpdateStatusCounts as GUpdateStatusCounts } from "../../api/generated/UpdateStatusCounts";

export type Compliance = GCompliance;
export type ComputerColumn = GComputerColumn;
export type ComputerDetails = Json<GComputerDetails>;
export type ComputerQuery = Json<GComputerQuery>;
export type ComputerSettings = Json<GComputerSettings>;
export type ComputerRow = Json<GComputerRow>;
export type ComputerUpdateState = Json<GComputerUpdateState>;
export type UpdateStatus = GUpdateStatus;
export type UpdateStatusComputer = Json<GUpdateStatusComputer>;
export type UpdateStatusCounts = Json<GUpdateStatusCounts>;
