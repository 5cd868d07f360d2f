// The "Download" command other nodes put on their command bar (All Software Updates, a
// software update group): the Download Software Updates wizard on their selection, and
// afterwards a link to Deployment Packages.
import { useState, type ReactNode } from "react";
import { Button, Link, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { ArrowDownloadRegular, DismissRegular } from "@fluentui/react-icons";
import { useNavigateTo } from "../../app/navigate";
import type { Command } from "../../components/CommandBar/CommandBar";
import { DownloadWizard } from "./DownloadWizard";
import { strings } from "./strings";
import type { DownloadJob } from "./types";

export const packagesNode = { workspace: "library", node: "library.deploymentPackages" } as const;

const text = {
  started: (pkg: string, state: string) => `Download into "${pkg}": ${state}.`,
  show: "Show in Deployment Packages",
  dismiss: "Dismiss",
};

export interface DownloadSource {
  updateIds?(): readonly string[] | Promise<readonly string[]>;
  updateGroupId?: number | null;
  groupName?: string;
  disabled: boolean;
}

export function useDownloadCommand(source: DownloadSource): { command: Command; dialog: ReactNode; bar: ReactNode } {
  const [open, setOpen] = useState<{ updateIds: readonly string[] } | null>(null);
  const [last, setLast] = useState<DownloadJob | null>(null);
  const navigateTo = useNavigateTo();
  const command: Command = {
    id: "download",
    needs: "start_download",
    label: strings.commands.download,
    description: strings.commands.downloadHint,
    icon: <ArrowDownloadRegular />,
    group: "deploy",
    disabled: source.disabled,
    run: () => {
      void Promise.resolve(source.updateIds?.() ?? []).then(
        (updateIds) => setOpen({ updateIds }),
        () => setOpen({ updateIds: [] }),
      );
    },
  };
  const dialog = open && (
    <DownloadWizard
      updateIds={open.updateIds}
      updateGroupId={source.updateGroupId ?? null}
      groupName={source.groupName}
      onClose={(job) => {
        setOpen(null);
        if (job) setLast(job);
      }}
    />
  );
  const bar = last && (
    <MessageBar intent={last.state === "Succeeded" && last.filesFailed === 0 ? "success" : last.state === "Running" ? "info" : "warning"}>
      <MessageBarBody>
        {text.started(last.packageName, strings.wizard.jobState[last.state])}{" "}
        <Link onClick={() => navigateTo(packagesNode.workspace, packagesNode.node)}>{text.show}</Link>
      </MessageBarBody>
      <MessageBarActions
        containerAction={<Button appearance="transparent" aria-label={text.dismiss} icon={<DismissRegular />} onClick={() => setLast(null)} />}
      />
    </MessageBar>
  );
  return { command, dialog, bar };
}
