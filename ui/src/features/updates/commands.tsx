// The command bar of All Software Updates: which commands exist and when each is enabled.
// Later features (decline, create group, deploy, download…) add their entries here.
import { ArrowClockwiseRegular, InfoRegular } from "@fluentui/react-icons";
import type { Command } from "../../components/CommandBar/CommandBar";
import { strings } from "./strings";

export interface UpdateCommandContext {
  selectedCount: number;
  /** "Synchronize Software Updates" (SYNC-4), owned by the sync feature. */
  synchronize: Command;
  refresh(): void;
  openProperties(): void;
  /** Create / Add to Software Update Group, Approve, Decline (library/useLibraryCommands). */
  libraryCommands?: readonly Command[];
  /** Deploy (features/deployments) and Download (features/content) on the selection. */
  selectionCommands?: readonly Command[];
}

// On a narrow window the bar keeps the commands on the selection: Synchronize (also on
// Monitoring and Administration) and Refresh are the first to go into the More menu.
export function updateCommands(ctx: UpdateCommandContext): Command[] {
  return [
    { ...ctx.synchronize, priority: -2 },
    { id: "refresh", label: strings.commands.refresh, icon: <ArrowClockwiseRegular />, group: "view", priority: -1, run: ctx.refresh },
    {
      id: "properties",
      label: strings.commands.properties,
      description: strings.commands.propertiesHint,
      icon: <InfoRegular />,
      group: "update",
      disabled: ctx.selectedCount !== 1,
      run: ctx.openProperties,
    },
    ...(ctx.libraryCommands ?? []),
    ...(ctx.selectionCommands ?? []),
  ];
}
