// A small form dialog that sends one command on OK: a spinner while it runs (OK and Cancel
// then off, the dialog kept open), the site's refusal above the form, and, once the work is
// done and the dialog shows its result, one Close button instead.
import type { ReactNode } from "react";
import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { ErrorBar } from "./ErrorBar";
import { FormDialog } from "./FormDialog";
import type { ApiFailure } from "../api";

const useStyles = makeStyles({ content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM } });

export function OkCancelDialog(props: {
  title: string;
  /** useDialogAction's state: busy while the command runs, its refusal after. */
  action: { busy: boolean; failure: ApiFailure | null };
  /** Its buttons and the title of the refusal's bar, by the names the features' strings.ts give them. */
  texts: { ok: string; cancel: string; actionFailed: string };
  okDisabled?: boolean;
  onOk(): void;
  onClose(): void;
  /** The spinner's text while busy. */
  busyLabel?: string;
  /** Set when the dialog shows its result: a single button that closes it. */
  closeLabel?: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  const { busy, failure } = props.action;
  return (
    <FormDialog
      title={props.title}
      busy={busy}
      onClose={props.onClose}
      contentClassName={styles.content}
      actions={
        <>
          {busy && <Spinner size="tiny" label={props.busyLabel} />}
          {props.closeLabel !== undefined ? (
            <Button appearance="primary" onClick={() => props.onClose()}>
              {props.closeLabel}
            </Button>
          ) : (
            <>
              <Button appearance="primary" disabled={busy || props.okDisabled} onClick={() => props.onOk()}>
                {props.texts.ok}
              </Button>
              <Button disabled={busy} onClick={() => props.onClose()}>
                {props.texts.cancel}
              </Button>
            </>
          )}
        </>
      }
    >
      {failure && props.closeLabel === undefined && <ErrorBar title={props.texts.actionFailed} message={failure.message} />}
      {props.children}
    </FormDialog>
  );
}
