// An OS image or upgrade package's state on each distribution point it was sent to: the
// details pane's Distribution tab and the Properties dialog's.
import { call } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { MutedText } from "../../components/MutedText";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { useLoad } from "../../components/useLoad";
import { DistributionBadge } from "../content/columns";
import { strings } from "./strings";
import type { OsImage, OsImageDistribution } from "./types";

const d = strings.details;

const distributionColumns: PlainColumn<OsImageDistribution>[] = [
  { id: "dp", header: d.distributionColumns.dp, render: (r) => r.dpName },
  { id: "state", header: d.distributionColumns.state, render: (r) => <DistributionBadge state={r.state} /> },
  { id: "detail", header: d.distributionColumns.detail, render: (r) => r.detail },
  { id: "updated", header: d.distributionColumns.updated, render: (r) => formatUtc(r.updatedUtc) },
];

/** The item's state on each distribution point it was sent to. */
export function DistributionTab({ image }: { image: OsImage }) {
  const loaded = useLoad<OsImageDistribution[]>(() => call("os_image_distribution_status", { imageId: image.id }), String(image.id));
  if (loaded.failure) return <ErrorBar title={d.distributionFailed} message={loaded.failure.message} onRetry={loaded.reload} retryLabel={strings.retry} />;
  if (!loaded.value) return <MutedText>{strings.loading}</MutedText>;
  if (!loaded.value.length) return <MutedText>{d.notDistributed}</MutedText>;
  return <PlainTable ariaLabel={d.distribution} columns={distributionColumns} rows={loaded.value} rowKey={(r) => r.dpId} />;
}

