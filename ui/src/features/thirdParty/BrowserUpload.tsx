// The Update Files page's upload from the browser (issue 16, point 6): a browser has no path
// on the site's machine, so the chosen files are declared to the site (which checks the
// quota and its free space before any byte), then streamed one by one with their progress
// (components/useUpload).
// The site answers with the paths it stored them at; the wizard goes on from those. The
// desktop app does not show this: it gives the site local paths.
import { useRef, useState } from "react";
import { Button, Field, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import { useUpload } from "../../components/useUpload";
import { strings } from "./strings";

const u = strings.wizard.files.upload;

const useStyles = makeStyles({
  box: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalM,
  },
});

export interface BrowserUploadProps {
  /** The site stored the files: the installer's path and the others', and the upload's id. */
  onUploaded(uploadId: string, installer: string, extras: string[]): void;
}

export function BrowserUpload({ onUploaded }: BrowserUploadProps) {
  const styles = useStyles();
  const installerInput = useRef<HTMLInputElement>(null);
  const extrasInput = useRef<HTMLInputElement>(null);
  const [installer, setInstaller] = useState<File | null>(null);
  const [extras, setExtras] = useState<File[]>([]);
  const [done, setDone] = useState<{ count: number; size: number } | null>(null);
  const { sending, failure, send } = useUpload("ThirdPartyUpdate");

  const start = async () => {
    if (!installer) return;
    const files = [installer, ...extras];
    setDone(null);
    const session = await send(files);
    if (!session) return;
    setDone({ count: files.length, size: files.reduce((n, f) => n + f.size, 0) });
    onUploaded(session.uploadId, session.paths[0], session.paths.slice(1));
  };

  return (
    <div className={styles.box} data-testid="browser-upload">
      <Text weight="semibold">{u.heading}</Text>
      <Field label={u.installer}>
        <input
          ref={installerInput}
          type="file"
          accept=".msi,.msp,.exe"
          aria-label={u.installer}
          onChange={(e) => setInstaller(e.target.files?.[0] ?? null)}
          disabled={sending !== null}
        />
      </Field>
      <Field label={u.extras}>
        <input
          ref={extrasInput}
          type="file"
          multiple
          aria-label={u.extras}
          onChange={(e) => setExtras(Array.from(e.target.files ?? []))}
          disabled={sending !== null}
        />
      </Field>
      <div>
        <Button icon={<ArrowUploadRegular />} disabled={!installer || sending !== null} onClick={() => void start()}>
          {u.start}
        </Button>
      </div>
      {sending && (
        <Field validationMessage={u.sending(formatBytes(sending.sent), formatBytes(sending.total))} validationState="none">
          <ProgressBar aria-label={u.start} value={sending.total > 0 ? sending.sent / sending.total : 1} />
        </Field>
      )}
      {done && (
        <Text size={200} data-testid="upload-done">
          {u.done(done.count, formatBytes(done.size))}
        </Text>
      )}
      {failure && <ErrorBar title={u.failed} message={failure.message} />}
    </div>
  );
}
