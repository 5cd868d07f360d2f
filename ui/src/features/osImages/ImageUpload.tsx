// The Data Source page's upload from the browser (issue 17, point 1): a browser has no path on
// the site's machine, so the chosen .wim is declared to the site (which checks its free space
// before any byte), streamed with its progress, then the wizard goes on from the path the site
// stored it at, read there as a typed path is. The desktop app does not show this.
import { useState } from "react";
import { Button, Field, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import type { Upload } from "../../components/useUpload";
import { strings } from "./strings";

const u = strings.wizard.upload;

const useStyles = makeStyles({
  box: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
});

export interface ImageUploadProps {
  /** The wizard's `useUpload("OsImage")`: its Cancel stops a transfer under way. */
  transfer: Upload;
  /** The site holds the file: the upload's id and the file's path there. */
  onUploaded(uploadId: string, path: string): void;
}

export function ImageUpload({ transfer, onUploaded }: ImageUploadProps) {
  const styles = useStyles();
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<{ name: string; size: number } | null>(null);
  const { sending, failure, send } = transfer;

  const start = async () => {
    if (!file) return;
    setDone(null);
    const session = await send([file]);
    if (!session) return;
    setDone({ name: file.name, size: file.size });
    onUploaded(session.uploadId, session.paths[0]);
  };

  return (
    <div className={styles.box} data-testid="image-upload">
      <Text weight="semibold">{u.heading}</Text>
      <Field label={u.file} hint={u.hint}>
        <input
          type="file"
          accept=".wim,.esd"
          aria-label={u.file}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          disabled={sending !== null}
        />
      </Field>
      <div>
        <Button icon={<ArrowUploadRegular />} disabled={!file || sending !== null} onClick={() => void start()}>
          {u.start}
        </Button>
      </div>
      {sending && (
        <Field validationMessage={u.sending(formatBytes(sending.sent), formatBytes(sending.total))} validationState="none">
          <ProgressBar aria-label={u.start} value={sending.total > 0 ? sending.sent / sending.total : 1} />
        </Field>
      )}
      {done && (
        <Text size={200} data-testid="image-upload-done">
          {u.done(done.name, formatBytes(done.size))}
        </Text>
      )}
      {failure && <ErrorBar title={u.failed} message={failure.message} />}
    </div>
  );
}
