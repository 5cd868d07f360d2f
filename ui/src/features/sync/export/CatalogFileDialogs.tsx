// Export Catalog and Import Catalog (SYNC-7): a path on the site's machine (chosen with the OS
// file dialog in the desktop app), then the site's report, or its refusal as written. The dialog stays open on a refusal so the path can be
// corrected.
import { useState, type ReactNode } from "react";
import {
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { call, transportKind } from "../../../api";
import { MutedText } from "../../../components/MutedText";
import { OkCancelDialog } from "../../../components/OkCancelDialog";
import { useDialogAction } from "../../../components/useDialogAction";
import { CatalogPathField, type PickerMode } from "./CatalogPathField";
import { exportLines, importLines, pathProblem } from "./report";
import { strings } from "./strings";

const useStyles = makeStyles({
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
  mode: PickerMode;
  hint: ReactNode;
  extra?: ReactNode;
  run(path: string): Promise<string[]>;
  onClose(): void;
}) {
  const styles = useStyles();
  const [path, setPath] = useState("");
  const [touched, setTouched] = useState(false);
  const [report, setReport] = useState<string[] | null>(null);
  const action = useDialogAction(setReport);
  const { busy, run } = action;
  const problem = pathProblem(path);

  const ok = async () => {
    setTouched(true);
    if (problem) return;
    await run(() => props.run(path.trim()));
  };

  return (
    <OkCancelDialog
      title={props.title}
      action={action}
      texts={{ ok: props.okLabel, cancel: strings.cancel, actionFailed: props.failedTitle }}
      busyLabel={strings.working}
      closeLabel={report ? strings.close : undefined}
      onOk={() => void ok()}
      onClose={props.onClose}
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
          <MutedText>{props.hint}</MutedText>
          <CatalogPathField
            mode={props.mode}
            value={path}
            onChange={setPath}
            problem={touched ? problem : null}
            disabled={busy}
            onEnter={() => {
              if (!busy) void ok();
            }}
          />
          {props.extra}
        </>
      )}
    </OkCancelDialog>
  );
}

function whereTheFileIs(): string {
  return transportKind === "tauri" ? strings.desktopSide : strings.serverSide;
}

export function ExportCatalogDialog({ onClose }: Props) {
  const [withContent, setWithContent] = useState(false);
  return (
    <CatalogFileDialog
      title={strings.exportTitle}
      okLabel={strings.exportOk}
      failedTitle={strings.exportFailed}
      doneTitle={strings.exportDone}
      mode="save"
      hint={whereTheFileIs()}
      extra={
        <Field hint={<MutedText>{strings.withContentHint}</MutedText>}>
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
      mode="open"
      hint={
        <>
          {whereTheFileIs()} {strings.importChecks}
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
