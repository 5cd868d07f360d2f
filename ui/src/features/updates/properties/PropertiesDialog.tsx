// Properties of one update (LIB-3), with tabs. Following a related update (superseded,
// bundled, prerequisite) opens it in the same dialog; Back returns.
import { useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Tab,
  TabList,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { ErrorBar } from "../../../components/ErrorBar";
import { ApprovalsView } from "../../approvals/ApprovalsView";
import { strings } from "../strings";
import { useUpdateDetails } from "../useUpdateDetails";
import { BundlesTab, FilesTab, GeneralTab, LanguagesTab, SupersedenceTab } from "./tabs";

const p = strings.properties;
type TabId = keyof typeof p.tabs;
const TABS: TabId[] = ["general", "supersedence", "bundles", "files", "languages", "approvals"];

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
  panel: { overflow: "auto", minHeight: 0, flexGrow: 1, paddingRight: tokens.spacingHorizontalS },
});

export function PropertiesDialog({ updateId, onClose }: { updateId: string; onClose(): void }) {
  const styles = useStyles();
  const [stack, setStack] = useState<string[]>([updateId]);
  const [tab, setTab] = useState<TabId>("general");
  const current = stack[stack.length - 1];
  const { details, failure, loading } = useUpdateDetails(current);
  const open = (id: string) => {
    setStack((s) => [...s, id]);
    setTab("general");
  };

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody className={styles.body}>
          <DialogTitle className={styles.title}>
            {stack.length > 1 && (
              <Button
                appearance="subtle"
                icon={<ArrowLeftRegular />}
                aria-label={p.back}
                onClick={() => setStack((s) => s.slice(0, -1))}
              />
            )}
            {details ? p.dialogTitle(details.row.title) : p.loading}
          </DialogTitle>
          <DialogContent className={styles.content}>
            <TabList
              className={styles.tabs}
              selectedValue={tab}
              onTabSelect={(_, d) => setTab(d.value as TabId)}
              size="small"
            >
              {TABS.map((t) => (
                <Tab key={t} value={t}>
                  {p.tabs[t]}
                </Tab>
              ))}
            </TabList>
            <div role="tabpanel" aria-label={p.tabs[tab]} className={styles.panel}>
              {failure && <ErrorBar title={strings.detailsFailed} message={failure.message} />}
              {loading && !details && <Spinner label={p.loading} />}
              {details && details.row.updateId.toLowerCase() === current.toLowerCase() && (
                <>
                  {tab === "general" && <GeneralTab details={details} />}
                  {tab === "supersedence" && <SupersedenceTab details={details} onOpen={open} />}
                  {tab === "bundles" && <BundlesTab details={details} onOpen={open} />}
                  {tab === "files" && <FilesTab details={details} />}
                  {tab === "languages" && <LanguagesTab details={details} />}
                  {tab === "approvals" && <ApprovalsView subject={{ kind: "update", updateId: details.row.updateId }} />}
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {p.close}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
