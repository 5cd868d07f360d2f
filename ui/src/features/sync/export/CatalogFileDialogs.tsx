// Export Catalog and Import Catalog (SYNC-7): a path on the site's machine, then the site's
// report, or its refusal as written. The dialog stays open on a refusal so the path can be
// corrected.
import { useState, type ReactNode } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { FormDialog } from "../../../components/FormDialog";
import { exportLines, importLines, pathProblem } from "./report";
import { strings } from "./strings";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
  lines: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

interface Props {
  onClose(): void;
  /** Called after the site changed (an import), so the page can read its counts again. */
  onDone?(): void;
}

/** One path, one action on the site, then its report lines. */
function CatalogFileDialog(props: {
  title: string;
  okLabel: string;
  failedTitle: string;
  doneTitle: string;
  hint: ReactNode;
  extra?: ReactNode;
  run(path: string): Promise<string[]>;
  onClose(): void;
}) {
  const styles = useStyles();
  const [path, setPath] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [report, setReport] = useState<string[] | null>(null);
  const problem = pathProblem(path);

  const ok = async () => {
    setTouched(true);
    if (problem) return;
    setBusy(true);
    setFailure(null);
    try {
      setReport(await props.run(path.trim()));
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={props.title}
      busy={busy}
      onClose={props.onClose}
      contentClassName={styles.content}
      actions={
        <>
          {busy && <Spinner size="tiny" label={strings.working} />}
          {report ? (
            <Button appearance="primary" onClick={props.onClose}>
              {strings.close}
            </Button>
          ) : (
            <>
              <Button appearance="primary" disabled={busy} onClick={() => void ok()}>
                {props.okLabel}
              </Button>
              <Button disabled={busy} onClick={props.onClose}>
                {strings.cancel}
              </Button>
            </>
          )}
        </>
      }
    >
      {report ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{props.doneTitle}</MessageBarTitle>
            <div className={styles.lines} role="status">
              {report.map((line, i) => (
                <Text key={i}>{line}</Text>
              ))}
            </div>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <>
          {failure && <ErrorBar title={props.failedTitle} message={failure.message} />}
          <Text className={styles.hint}>{props.hint}</Text>
          <Field
            label={strings.path}
            required
            validationState={touched && problem ? "error" : "none"}
            validationMessage={touched && problem ? problem : undefined}
          >
            <Input
              value={path}
              placeholder={strings.pathPlaceholder}
              disabled={busy}
              onChange={(_, d) => setPath(d.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !busy) void ok();
              }}
            />
          </Field>
          {props.extra}
        </>
      )}
    </FormDialog>
  );
}

export function ExportCatalogDialog({ onClose }: Props) {
  const styles = useStyles();
  const [withContent, setWithContent] = useState(false);
  return (
    <CatalogFileDialog
      title={strings.exportTitle}
      okLabel={strings.exportOk}
      failedTitle={strings.exportFailed}
      doneTitle={strings.exportDone}
      hint={strings.serverSide}
      extra={
        <Field hint={<span className={styles.hint}>{strings.withContentHint}</span>}>
          <Checkbox label={strings.withContent} checked={withContent} onChange={(_, d) => setWithContent(d.checked === true)} />
        </Field>
      }
      run={async (path) => exportLines(await call("export_catalog", { path, withContent }))}
      onClose={onClose}
    />
  );
}

export function ImportCatalogDialog({ onClose, onDone }: Props) {
  return (
    <CatalogFileDialog
      title={strings.importTitle}
      okLabel={strings.importOk}
      failedTitle={strings.importFailed}
      doneTitle={strings.importDone}
      hint={
        <>
          {strings.serverSide} {strings.importChecks}
        </>
      }
      run={async (path) => {
        const lines = importLines(await call("import_catalog_export", { path }));
        onDone?.();
        return lines;
      }}
      onClose={onClose}
    />
  );
}
