// The "Deploy" command other nodes put on their command bar (All Software Updates, a
// software update group): it opens the Deploy Software Updates wizard on their selection,
// and after a deployment is created offers to show it in Monitoring > Deployments.
import { useState, type ReactNode } from "react";
import { Button, Link, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { DismissRegular, SendRegular } from "@fluentui/react-icons";
import { useNavigateTo } from "../../app/navigate";
import type { Command } from "../../components/CommandBar/CommandBar";
import { DeployWizard } from "./DeployWizard";
import type { Deployment } from "./types";

export const deploymentsNode = { workspace: "monitoring", node: "monitoring.deployments" } as const;

const text = {
  deploy: "Deploy",
  deployHint: "Deploy the selected software updates to a collection (Deploy Software Updates Wizard).",
  created: (name: string) => `The deployment "${name}" was created.`,
  show: "Show in Monitoring > Deployments",
  dismiss: "Dismiss",
};

export interface DeploySource {
  /** UpdateIDs of the selection, read when the command runs (rows not loaded may be fetched). */
  updateIds?(): readonly string[] | Promise<readonly string[]>;
  updateGroupId?: number | null;
  disabled: boolean;
  /** Told when the wizard created a deployment (e.g. to re-read a group's deployment count). */
  onCreated?(deployment: Deployment): void;
}

export function useDeployCommand(source: DeploySource): { command: Command; dialog: ReactNode; bar: ReactNode } {
  const [open, setOpen] = useState<{ updateIds: readonly string[]; updateGroupId: number | null } | null>(null);
  const [created, setCreated] = useState<Deployment | null>(null);
  const navigateTo = useNavigateTo();
  const command: Command = {
    id: "deploy",
    needs: "create_deployment",
    label: text.deploy,
    description: text.deployHint,
    icon: <SendRegular />,
    group: "deploy",
    disabled: source.disabled,
    run: () => {
      void Promise.resolve(source.updateIds?.() ?? []).then(
        (updateIds) => setOpen({ updateIds, updateGroupId: source.updateGroupId ?? null }),
        // Rows that cannot be read: the wizard starts on a group instead of the selection.
        () => setOpen({ updateIds: [], updateGroupId: source.updateGroupId ?? null }),
      );
    },
  };
  const dialog = open && (
    <DeployWizard
      mode={{ kind: "create", updateIds: open.updateIds, updateGroupId: open.updateGroupId }}
      onClose={(d) => {
        setOpen(null);
        if (d) {
          setCreated(d);
          source.onCreated?.(d);
        }
      }}
    />
  );
  const bar = created && (
    <MessageBar intent="success">
      <MessageBarBody>
        {text.created(created.name)}{" "}
        <Link onClick={() => navigateTo(deploymentsNode.workspace, deploymentsNode.node)}>{text.show}</Link>
      </MessageBarBody>
      <MessageBarActions
        containerAction={<Button appearance="transparent" aria-label={text.dismiss} icon={<DismissRegular />} onClick={() => setCreated(null)} />}
      />
    </MessageBar>
  );
  return { command, dialog, bar };
}
