// A dialog's saving buttons disabled for a role that may not save, with the reason beside
// them (the command bar's tooltip does the same for commands), so Properties stays readable.
import { Caption1 } from "@fluentui/react-components";
import type { CommandName } from "../api";
import { deniedReason, useWhoAmI } from "./CommandBar/access";

/** Why the signed-in administrator may not run `command`; undefined when they may. */
export function useDenied(command: CommandName): string | undefined {
  return deniedReason(useWhoAmI(), command);
}

export function DeniedNote({ reason }: { reason: string | undefined }) {
  if (!reason) return null;
  return (
    <Caption1 role="note" data-testid="denied-note">
      {reason}
    </Caption1>
  );
}
