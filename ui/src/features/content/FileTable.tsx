// The files of a download job with their state, progress and error.
import { Badge, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import { formatBytes } from "../../components/format";
import { strings } from "./strings";
import type { DownloadFile } from "./types";

const f = strings.wizard.files;

const useStyles = makeStyles({
  wrap: { overflow: "auto", maxHeight: "100%", minHeight: "60px" },
  error: { color: tokens.colorPaletteRedForeground1, overflowWrap: "anywhere", paddingTop: "2px", paddingBottom: "2px" },
  name: { overflowWrap: "anywhere" },
  cell: { display: "flex", flexDirection: "column", paddingTop: "2px", paddingBottom: "2px" },
  update: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

const color = { Pending: "subtle", Downloading: "informative", Downloaded: "success", Failed: "danger" } as const;

export function FileTable({ files, label = f.label }: { files: readonly DownloadFile[]; label?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.wrap}>
      <Table size="extra-small" aria-label={label} style={{ tableLayout: "fixed", width: "100%" }}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: "32%" }}>{f.name}</TableHeaderCell>
            <TableHeaderCell style={{ width: "14%" }}>{f.size}</TableHeaderCell>
            <TableHeaderCell style={{ width: "14%" }}>{f.state}</TableHeaderCell>
            <TableHeaderCell style={{ width: "40%" }}>{f.error}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {files.map((file) => (
            <TableRow key={`${file.sha1}-${file.updateId}`} data-file-state={file.state}>
              <TableCell className={styles.name}>
                <div className={styles.cell}>
                  <span>{file.fileName}</span>
                  <span className={styles.update} title={file.updateTitle}>
                    {file.updateTitle}
                  </span>
                </div>
              </TableCell>
              <TableCell>
                {file.state === "Downloading" && file.size > 0 ? (
                  <ProgressBar value={file.bytesDone / file.size} max={1} aria-label={file.fileName} />
                ) : (
                  formatBytes(file.size)
                )}
              </TableCell>
              <TableCell>
                <Badge appearance="tint" color={color[file.state]} shape="rounded">
                  {strings.wizard.fileState[file.state]}
                </Badge>
              </TableCell>
              <TableCell className={styles.error}>{file.error ?? ""}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
