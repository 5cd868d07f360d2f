// The frame of a Properties dialog: a title, a row of tabs, the selected tab's panel (which
// scrolls on its own), and the dialog's buttons (Close unless the dialog gives its own).
// Update Properties, a device's and a deployment's Properties show their tabs in it.
import type { ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Tab,
  TabList,
  makeStyles,
  tokens,
} from "@fluentui/react-components";

export interface DialogTab<Id extends string> {
  id: Id;
  label: string;
}

const useStyles = makeStyles({
  surface: { width: "min(1000px, 95vw)", maxWidth: "95vw", height: "min(760px, 90vh)" },
  body: { height: "100%", gridTemplateRows: "auto minmax(0, 1fr) auto" },
  title: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    overflowWrap: "anywhere",
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
  },
  content: { display: "flex", flexDirection: "column", minHeight: 0, overflow: "hidden", padding: 0 },
  tabs: { flexShrink: 0, marginBottom: tokens.spacingVerticalS },
  panel: {
    overflow: "auto",
    minHeight: 0,
    flexGrow: 1,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    paddingRight: tokens.spacingHorizontalS,
  },
});

export function TabbedDialog<Id extends string>(props: {
  title: ReactNode;
  tabs: readonly DialogTab<Id>[];
  tab: Id;
  onTabChange(tab: Id): void;
  onClose(): void;
  closeLabel?: string;
  /** The dialog's own buttons (OK, Cancel, Apply) in place of Close. */
  actions?: ReactNode;
  /** The selected tab's panel. */
  children: ReactNode;
}) {
  const styles = useStyles();
  const { tabs, tab } = props;
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody className={styles.body}>
          <DialogTitle className={styles.title}>{props.title}</DialogTitle>
          <DialogContent className={styles.content}>
            <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_, d) => props.onTabChange(d.value as Id)} size="small">
              {tabs.map((t) => (
                <Tab key={t.id} value={t.id}>
                  {t.label}
                </Tab>
              ))}
            </TabList>
            <div role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label} className={styles.panel}>
              {props.children}
            </div>
          </DialogContent>
          <DialogActions>
            {props.actions ?? (
              <Button appearance="primary" onClick={props.onClose}>
                {props.closeLabel}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
