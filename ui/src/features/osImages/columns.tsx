// Columns of OS Images and OS Upgrade Packages (seeds 003 and 004), and the tables of an
// item's images and updates in its details pane.
import type { DataGridColumn } from "../../components/DataGrid";
import { formatBytes, formatCount, formatUtc } from "../../components/format";
import type { PlainColumn } from "../../components/PlainTable";
import { listText } from "./model";
import { strings } from "./strings";
import type { OsImage, OsImageIndex, OsImagePackage } from "./types";

const c = strings.columns;

export const imageColumns: readonly DataGridColumn<OsImage>[] = [
  { id: "name", header: c.name, width: 220, render: (r) => r.name, title: (r) => r.name },
  { id: "version", header: c.version, width: 90, render: (r) => r.version },
  { id: "osVersion", header: c.osVersion, width: 130, render: (r) => r.osVersion },
  { id: "architecture", header: c.architecture, width: 100, render: (r) => listText(r.architectures) },
  { id: "languages", header: c.languages, width: 110, render: (r) => listText(r.languages), title: (r) => listText(r.languages) },
  { id: "indexes", header: c.indexes, width: 70, align: "end", render: (r) => formatCount(r.indexCount) },
  { id: "size", header: c.size, width: 100, align: "end", render: (r) => formatBytes(r.fileBytes) },
  { id: "updates", header: c.updates, width: 80, align: "end", render: (r) => formatCount(r.updateCount) },
  { id: "scheduledDate", header: c.scheduledDate, width: 170, render: (r) => formatUtc(r.scheduledUpdatesDate) },
  { id: "scheduledStatus", header: c.scheduledStatus, width: 170, render: (r) => r.scheduledUpdatesStatus ?? "" },
  { id: "created", header: c.created, width: 150, render: (r) => formatUtc(r.createdUtc), title: (r) => r.createdUtc },
  { id: "comment", header: c.comment, width: 200, render: (r) => r.description, title: (r) => r.description },
];

const ic = strings.indexColumns;

export const indexColumns: PlainColumn<OsImageIndex>[] = [
  { id: "index", header: ic.index, width: "60px", render: (i) => i.index },
  { id: "name", header: ic.name, render: (i) => i.name, title: (i) => i.description || undefined },
  { id: "edition", header: ic.edition, render: (i) => i.edition },
  { id: "version", header: ic.version, render: (i) => i.version },
  { id: "architecture", header: ic.architecture, render: (i) => i.architecture },
  { id: "languages", header: ic.languages, render: (i) => listText(i.languages) },
  { id: "size", header: ic.size, render: (i) => formatBytes(i.totalBytes) },
];

const pc = strings.packageColumns;

export const packageColumns: PlainColumn<OsImagePackage>[] = [
  { id: "index", header: pc.index, width: "60px", render: (p) => p.index },
  { id: "kb", header: pc.kb, width: "100px", render: (p) => p.kb ?? "" },
  { id: "catalog", header: pc.catalog, render: (p) => p.catalog[0]?.title ?? strings.notInCatalog, title: (p) => p.catalog.map((m) => m.title).join("\n") || undefined },
  { id: "name", header: pc.name, render: (p) => p.name, title: (p) => p.identity },
  { id: "version", header: pc.version, render: (p) => p.version },
  { id: "architecture", header: pc.architecture, width: "90px", render: (p) => p.architecture },
  { id: "releaseType", header: pc.releaseType, render: (p) => p.releaseType },
  { id: "source", header: pc.source, render: (p) => (p.source === "Import" ? strings.atImport : p.source) },
];
