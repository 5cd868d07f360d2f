// The frame every small modal form shares: a title, the form, then its buttons. While
// `busy` (a command in flight) Escape and the backdrop do not close it, so a result is
// never lost to a dialog that went away.
import type { ReactNode } from "react";
import { Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";

export function FormDialog(props: {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onClose(): void;
  busy?: boolean;
  contentClassName?: string;
  surfaceClassName?: string;
  surfaceTestId?: string;
}) {
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && !props.busy && props.onClose()}>
      <DialogSurface className={props.surfaceClassName} aria-describedby={undefined} data-testid={props.surfaceTestId}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent className={props.contentClassName}>{props.children}</DialogContent>
          <DialogActions>{props.actions}</DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
