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

/**
 * On a narrow window the bar keeps Approve and Deploy longest, and sends Refresh, Add to
 * Software Update Group and Decline into the More menu first (the rest: last first).
 */
const PRIORITY: Readonly<Record<string, number>> = { approve: 1, deploy: 1, refresh: -1, addToUpdateGroup: -1, decline: -1 };

export function updateCommands(ctx: UpdateCommandContext): Command[] {
  const commands: Command[] = [
    ctx.synchronize,
    { id: "refresh", label: strings.commands.refresh, icon: <ArrowClockwiseRegular />, group: "view", run: ctx.refresh },
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
  return commands.map((c) => ({ ...c, priority: PRIORITY[c.id] ?? 0 }));
}
