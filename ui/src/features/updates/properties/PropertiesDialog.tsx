// Properties of one update (LIB-3), with tabs. Following a related update (superseded,
// bundled, prerequisite) opens it in the same dialog; Back returns.
import { useState } from "react";
import { Button, Spinner } from "@fluentui/react-components";
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { ErrorBar } from "../../../components/ErrorBar";
import { TabbedDialog } from "../../../components/TabbedDialog";
import { ApprovalsView } from "../../approvals/ApprovalsView";
import { UpdateStatusView } from "../../computers/UpdateStatusView";
import { strings } from "../strings";
import { useUpdateDetails } from "../useUpdateDetails";
import { BundlesTab, FilesTab, GeneralTab, LanguagesTab, SupersedenceTab } from "./tabs";

const p = strings.properties;
type TabId = keyof typeof p.tabs;
const TABS = (["general", "supersedence", "bundles", "files", "languages", "approvals", "updateStatus"] as const).map((id) => ({
  id,
  label: p.tabs[id],
}));

export function PropertiesDialog({ updateId, onClose }: { updateId: string; onClose(): void }) {
  const [stack, setStack] = useState<string[]>([updateId]);
  const [tab, setTab] = useState<TabId>("general");
  const current = stack[stack.length - 1];
  const { details, failure, loading } = useUpdateDetails(current);
  const open = (id: string) => {
    setStack((s) => [...s, id]);
    setTab("general");
  };

  return (
    <TabbedDialog<TabId>
      title={
        <>
          {stack.length > 1 && (
            <Button appearance="subtle" icon={<ArrowLeftRegular />} aria-label={p.back} onClick={() => setStack((s) => s.slice(0, -1))} />
          )}
          {details ? p.dialogTitle(details.row.title) : p.loading}
        </>
      }
      tabs={TABS}
      tab={tab}
      onTabChange={setTab}
      onClose={onClose}
      closeLabel={p.close}
    >
      {failure && <ErrorBar title={strings.detailsFailed} message={failure.message} />}
      {loading && !details && <Spinner label={p.loading} />}
      {details && details.row.updateId.toLowerCase() === current.toLowerCase() && (
        <div>
          {tab === "general" && <GeneralTab details={details} />}
          {tab === "supersedence" && <SupersedenceTab details={details} onOpen={open} />}
          {tab === "bundles" && <BundlesTab details={details} onOpen={open} />}
          {tab === "files" && <FilesTab details={details} />}
          {tab === "languages" && <LanguagesTab details={details} />}
          {tab === "approvals" && <ApprovalsView subject={{ kind: "update", updateId: details.row.updateId }} />}
          {tab === "updateStatus" && <UpdateStatusView updateId={details.row.updateId} />}
        </div>
      )}
    </TabbedDialog>
  );
}
