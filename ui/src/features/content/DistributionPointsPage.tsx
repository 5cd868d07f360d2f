// Administration > Distribution Points (CNT-1, CNT-2): the folders and remote patchdeck
// servers packages are copied to, with the content status of each, Add (a folder or a
// server's address and API token), Remove,
// and the site's Content Settings (clients' fallback to Microsoft Update).
import { useCallback, useState } from "react";
import { AddRegular, SettingsRegular } from "@fluentui/react-icons";
import { call } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import { useConfirmedRowAction } from "../../components/ConfirmDialog";
import type { ItemDetailsTab } from "../../components/DetailsPane";
import { ItemListPage } from "../../components/ItemListPage";
import { MutedText } from "../../components/MutedText";
import { deleteCommand, refreshCommand } from "../../components/rowCommands";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
import { dpColumns } from "./columns";
import { AddDistributionPointDialog, ContentSettingsDialog } from "./dialogs";
import { StatusTable } from "./PackagesPage";
import { strings } from "./strings";
import type { DistributionPoint, DistributionStatus } from "./types";

const t = strings.dps;
const readDps = () => call("list_distribution_points", {});

export function DistributionPointsPage() {
  const [status, setStatus] = useState<DistributionStatus[]>([]);
  const readStatus = useCallback(() => {
    call("get_distribution_status", { packageId: null }).then(setStatus, () => undefined);
  }, []);
  const page = useListPage(readDps, readStatus);
  const adding = useOverlay(page.load);
  const [settings, setSettings] = useState(false);
  const removal = useConfirmedRowAction(page, { yes: strings.yes, no: strings.no }, (dp: DistributionPoint) => ({
    title: t.removeTitle,
    question: t.removeQuestion(dp.name),
    failureTitle: t.actionFailed,
    run: () => call("remove_distribution_point", { id: dp.id }),
  }));

  const commands: Command[] = [
    { id: "add", needs: "add_distribution_point", label: t.add, icon: <AddRegular />, group: "create", run: () => adding.open(true) },
    refreshCommand(t.refresh, page),
    deleteCommand(page, { id: "remove", needs: "remove_distribution_point", label: t.remove, group: "dp", ask: removal.ask }),
    { id: "settings", needs: "set_content_settings", label: t.settings, icon: <SettingsRegular />, group: "settings", run: () => setSettings(true) },
  ];

  const statusTab: ItemDetailsTab<DistributionPoint> = {
    id: "status",
    label: t.details.status,
    render: (dp) => {
      const rows = status.filter((s) => s.dpId === dp.id);
      return rows.length ? <StatusTable rows={rows} first="package" /> : <MutedText>{t.details.none}</MutedText>;
    },
  };

  return (
    <ItemListPage
      page={page}
      parts={{ texts: t, common: strings, columns: dpColumns, details: { texts: t.details, height: "38%", tabs: [statusTab] } }}
      commands={commands}
      overlays={
        <>
          {adding.value && <AddDistributionPointDialog onClose={adding.close} />}
          {settings && <ContentSettingsDialog onClose={() => setSettings(false)} />}
          {removal.dialog}
        </>
      }
    />
  );
}
