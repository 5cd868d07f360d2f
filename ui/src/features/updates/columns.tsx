// The columns of All Software Updates (LIB-1).
import type { UpdateRow } from "../../api";
import type { DataGridColumn } from "../../components/DataGrid";
import { formatBytes, formatUtc } from "../../components/format";
import { strings } from "./strings";

const c = strings.columns;
const yesNo = (v: boolean) => (v ? strings.yes : strings.no);

export const updateColumns: readonly DataGridColumn<UpdateRow>[] = [
  { id: "title", header: c.title, width: 460, sortable: true, render: (r) => r.title, title: (r) => r.title },
  { id: "articleId", header: c.articleId, width: 100, sortable: true, render: (r) => (r.articleId ? strings.kb(r.articleId) : "") },
  { id: "bulletinId", header: c.bulletinId, width: 100, sortable: true, render: (r) => r.bulletinId ?? "" },
  {
    id: "classification",
    header: c.classification,
    width: 150,
    sortable: true,
    render: (r) => r.classification ?? "",
    title: (r) => r.classification ?? undefined,
  },
  {
    id: "products",
    header: c.products,
    width: 200,
    sortable: true,
    render: (r) => r.products ?? "",
    title: (r) => r.products ?? undefined,
  },
  { id: "severity", header: c.severity, width: 100, sortable: true, render: (r) => r.severity ?? "" },
  {
    id: "releaseDate",
    header: c.releaseDate,
    width: 150,
    sortable: true,
    render: (r) => formatUtc(r.releaseDate),
    title: (r) => r.releaseDate ?? undefined,
  },
  { id: "size", header: c.size, width: 90, sortable: true, align: "end", render: (r) => formatBytes(r.size) },
  { id: "superseded", header: c.superseded, width: 95, render: (r) => yesNo(r.superseded) },
  { id: "expired", header: c.expired, width: 80, render: (r) => yesNo(r.expired) },
  { id: "revision", header: c.revision, width: 80, sortable: true, align: "end", render: (r) => String(r.revision) },
  // Compliance counts (zero until clients report) and the admin state (LIB-1, LIB-4).
  { id: "required", header: c.required, width: 85, align: "end", render: (r) => String(r.requiredCount) },
  { id: "installed", header: c.installed, width: 85, align: "end", render: (r) => String(r.installedCount) },
  { id: "notRequired", header: c.notRequired, width: 105, align: "end", render: (r) => String(r.notRequiredCount) },
  { id: "deployed", header: c.deployed, width: 85, render: (r) => yesNo(r.deployed) },
  { id: "declined", header: c.declined, width: 85, render: (r) => yesNo(r.declined) },
];
