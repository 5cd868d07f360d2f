// Yes/No questions before a change that cannot be undone (delete, remove).
import { useState, type ReactNode } from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from "@fluentui/react-components";
import { emptySelection, type Selection } from "./DataGrid";
import { ErrorBar } from "./ErrorBar";
import { FormDialog } from "./FormDialog";
import { useDialogAction } from "./useDialogAction";

export interface YesNoLabels {
  yes: string;
  no: string;
}

/** An alert that only asks: the page carries out the change (and reports its failure). */
export function ConfirmDialog(props: { title: string; question: string; labels: YesNoLabels; onYes(): void; onNo(): void }) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && props.onNo()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.question}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onYes}>
              {props.labels.yes}
            </Button>
            <Button onClick={props.onNo}>{props.labels.no}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/**
 * Asks, then carries out the change itself and stays open while it runs: a failure is shown
 * in the dialog (titled `failureTitle`), so the administrator can retry or say No.
 */
export function ConfirmActionDialog(props: {
  title: string;
  question: string;
  labels: YesNoLabels;
  failureTitle: string;
  run(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}) {
  const { run, onClose, onDone } = props;
  const action = useDialogAction<unknown>(onDone);
  const yes = () => action.run(run);
  const { busy, failure } = action;
  return (
    <FormDialog
      title={props.title}
      busy={busy}
      onClose={onClose}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => void yes()}>
            {props.labels.yes}
          </Button>
          <Button disabled={busy} onClick={onClose}>
            {props.labels.no}
          </Button>
        </>
      }
    >
      <Text as="p">{props.question}</Text>
      {failure && <ErrorBar title={props.failureTitle} message={failure.message} />}
    </FormDialog>
  );
}

/** What ConfirmActionDialog asks about one row, and the change it then makes. */
export interface RowAction {
  title: string;
  question: string;
  failureTitle: string;
  run(): Promise<unknown>;
}

/**
 * A change to one row of a list page asked first (Delete, usually): `ask(row)` opens a
 * ConfirmActionDialog; when the change is made the selection is cleared and the rows read again.
 */
export function useConfirmedRowAction<T>(
  page: { setSelection(selection: Selection): void; load(): void },
  labels: YesNoLabels,
  action: (row: T) => RowAction,
): { ask(row: T): void; dialog: ReactNode } {
  const [row, setRow] = useState<T | null>(null);
  const spec = row !== null ? action(row) : null;
  const dialog = spec && (
    <ConfirmActionDialog
      {...spec}
      labels={labels}
      onClose={() => setRow(null)}
      onDone={() => {
        setRow(null);
        page.setSelection(emptySelection);
        page.load();
      }}
    />
  );
  return { ask: setRow, dialog };
}
