// The files of a download job with their state, progress and error.
import { Badge, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import { formatBytes } from "../../components/format";
import { strings } from "./strings";
import type { DownloadFile } from "./types";

const f = strings.wizard.files;

const useStyles = makeStyles({
  wrap: { overflow: "auto", maxHeight: "100%", minHeight: "60px" },
  error: { color: tokens.colorPaletteRedForeground1, overflowWrap: "anywhere" },
  name: { overflowWrap: "anywhere" },
});

const color = { Pending: "subtle", Downloading: "informative", Downloaded: "success", Failed: "danger" } as const;

export function FileTable({ files, label = f.label }: { files: readonly DownloadFile[]; label?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.wrap}>
      <Table size="extra-small" aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: "34%" }}>{f.name}</TableHeaderCell>
            <TableHeaderCell style={{ width: "26%" }}>{f.update}</TableHeaderCell>
            <TableHeaderCell style={{ width: "16%" }}>{f.size}</TableHeaderCell>
            <TableHeaderCell style={{ width: "12%" }}>{f.state}</TableHeaderCell>
            <TableHeaderCell>{f.error}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {files.map((file) => (
            <TableRow key={`${file.sha1}-${file.updateId}`} data-file-state={file.state}>
              <TableCell className={styles.name}>{file.fileName}</TableCell>
              <TableCell title={file.updateTitle}>{file.updateTitle}</TableCell>
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
