// Yes/No questions before a change that cannot be undone (delete, remove).
import { useState } from "react";
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from "@fluentui/react-components";
import { toApiFailure, type ApiFailure } from "../api";
import { ErrorBar } from "./ErrorBar";
import { FormDialog } from "./FormDialog";

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
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const yes = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await run();
      onDone();
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
