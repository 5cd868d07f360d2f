// A device's Properties: General (inventory, activity, compliance, last scan error),
// Collections (its memberships) and Updates (every update it reported, with its state; a
// virtualized grid, as a computer can report thousands).
import { useEffect, useState } from "react";
import { MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../api";
import { DataGrid, emptySelection, type DataGridColumn, type Selection } from "../../components/DataGrid";
import { ErrorBar } from "../../components/ErrorBar";
import { MutedText } from "../../components/MutedText";
import { PropertyList } from "../../components/PropertyList";
import { TabbedDialog } from "../../components/TabbedDialog";
import { formatUtc, formatUtcSeconds } from "../../components/format";
import { complianceText, computerProperties } from "./ComputerSummary";
import { strings } from "./strings";
import type { ComputerDetails, ComputerRow, ComputerUpdateState } from "./types";

const p = strings.properties;
type TabId = keyof typeof p.tabs;
const TABS = (["general", "groups", "updates"] as const).map((id) => ({ id, label: p.tabs[id] }));
const u = p.updateColumns;

const updateColumns: readonly DataGridColumn<ComputerUpdateState>[] = [
  { id: "title", header: u.title, width: 380, render: (r) => r.title, title: (r) => r.title },
  { id: "article", header: u.article, width: 100, render: (r) => (r.articleId ? `KB${r.articleId}` : "") },
  { id: "classification", header: u.classification, width: 140, render: (r) => r.classification ?? "" },
  { id: "status", header: u.status, width: 170, render: (r) => strings.status[r.status] },
  { id: "lastError", header: u.lastError, width: 110, render: (r) => r.lastError ?? "" },
  { id: "reported", header: u.reported, width: 140, render: (r) => formatUtc(r.reportedUtc), title: (r) => formatUtcSeconds(r.reportedUtc) || undefined },
];

const useStyles = makeStyles({
  grid: { flexGrow: 1, minHeight: "200px" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

function useComputerDetails(id: number) {
  const [details, setDetails] = useState<ComputerDetails | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  useEffect(() => {
    let live = true;
    call("get_computer", { id }).then(
      (d) => live && setDetails(d),
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return { details, failure };
}

function GeneralTab({ details }: { details: ComputerDetails }) {
  const g = p.general;
  return (
    <>
      {details.lastScanError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{p.scanErrorTitle}</MessageBarTitle>
            {details.lastScanError}
          </MessageBarBody>
        </MessageBar>
      )}
      <PropertyList
        ariaLabel={g.inventory}
        items={[
          { label: g.name, value: details.row.name },
          { label: g.dnsName, value: details.dnsName },
          { label: g.clientId, value: details.clientId ?? "" },
          { label: g.targetGroup, value: details.targetGroupName ?? "" },
          { label: g.compliance, value: complianceText(details.row) },
          ...computerProperties(details.row),
          { label: g.lastScanError, value: details.lastScanError ?? g.noScanError },
        ]}
      />
    </>
  );
}

function UpdatesTab({ details }: { details: ComputerDetails }) {
  const styles = useStyles();
  const [selection, setSelection] = useState<Selection>(emptySelection);
  if (details.updates.length === 0) return <MutedText>{p.noUpdates}</MutedText>;
  return (
    <div className={styles.grid}>
      <DataGrid<ComputerUpdateState>
        ariaLabel={p.updatesLabel}
        columns={updateColumns}
        rowCount={details.updates.length}
        getRow={(i) => details.updates[i]}
        selection={selection}
        onSelectionChange={setSelection}
      />
    </div>
  );
}

export function ComputerPropertiesDialog({ computer, onClose }: { computer: ComputerRow; onClose(): void }) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>("general");
  const { details, failure } = useComputerDetails(computer.id);
  return (
    <TabbedDialog<TabId> title={p.title(computer.name)} tabs={TABS} tab={tab} onTabChange={setTab} onClose={onClose} closeLabel={p.close}>
      {failure && <ErrorBar title={strings.detailsFailed} message={failure.message} />}
      {!details && !failure && <Spinner label={p.loading} />}
      {details && tab === "general" && <GeneralTab details={details} />}
      {details &&
        tab === "groups" &&
        (details.row.groups.length === 0 ? (
          <MutedText>{p.noGroups}</MutedText>
        ) : (
          <ul className={styles.list} aria-label={p.groupsLabel}>
            {details.row.groups.map((path) => (
              <li key={path}>{path}</li>
            ))}
          </ul>
        ))}
      {details && tab === "updates" && <UpdatesTab details={details} />}
    </TabbedDialog>
  );
}
