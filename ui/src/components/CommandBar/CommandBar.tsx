// The command bar ("ribbon") above a node's view. Features declare their commands as data
// (see features/*/commands.ts); this renders them, so every node's bar looks and behaves alike.
// The bar keeps to one row: commands that do not fit move into its More menu.
import {
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Overflow,
  OverflowDivider,
  OverflowItem,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  Tooltip,
  makeStyles,
  tokens,
  useIsOverflowItemVisible,
  useOverflowMenu,
} from "@fluentui/react-components";
import { MoreHorizontalRegular } from "@fluentui/react-icons";
import { Fragment, type ReactElement } from "react";
import type { CommandName } from "../../api";
import { deniedReason, useWhoAmI } from "./access";

export interface Command {
  id: string;
  label: string;
  icon?: ReactElement;
  /** Longer text shown as a tooltip. */
  description?: string;
  disabled?: boolean;
  /**
   * The site command this runs: when the signed-in role or scope does not allow it, the
   * button is off and its tooltip says which permission is missing.
   */
  needs?: CommandName;
  /** Set by the bar: why the signed-in administrator may not run it. */
  denied?: string;
  /** Starts a new group, drawn after a divider. */
  group?: string;
  /**
   * When the bar is short of room, commands leave it for the More menu lowest priority first
   * (0 unless given), then last first.
   */
  priority?: number;
  run(): void;
}

/** Whether `commands[i]` opens another group than the command before it (a divider goes between). */
export function startsGroup(commands: readonly Command[], i: number): boolean {
  return i > 0 && commands[i].group !== undefined && commands[i].group !== commands[i - 1].group;
}

const MORE_LABEL = "More commands";

const useStyles = makeStyles({
  bar: {
    minHeight: "40px",
    minWidth: 0,
    flexShrink: 0,
    flexWrap: "nowrap",
    overflow: "hidden",
    backgroundColor: tokens.colorNeutralBackground2,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke2,
  },
  button: { flexShrink: 0, whiteSpace: "nowrap" },
});

/** The commands as the signed-in administrator may use them: refused ones off, with the reason. */
export function useAllowedCommands(commands: readonly Command[]): Command[] {
  const who = useWhoAmI();
  return commands.map((c) => {
    const reason = deniedReason(who, c.needs);
    return reason ? { ...c, disabled: true, denied: reason, description: reason } : c;
  });
}

/** A command as a menu item: in the bar's More menu, or a grid row's menu. */
export function CommandMenuItem({ command }: { command: Command }) {
  return (
    <MenuItem icon={command.icon} disabled={command.disabled} data-command={command.id} onClick={() => command.run()}>
      {command.label}
    </MenuItem>
  );
}

function MoreItem({ command }: { command: Command }) {
  return useIsOverflowItemVisible(command.id) ? null : <CommandMenuItem command={command} />;
}

function MoreMenu({ commands }: { commands: readonly Command[] }) {
  const { ref, isOverflowing } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu hasIcons>
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton ref={ref} appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={MORE_LABEL} title={MORE_LABEL} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {commands.map((c) => (
            <MoreItem key={c.id} command={c} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

export function CommandBar({ commands: declared, ariaLabel }: { commands: readonly Command[]; ariaLabel: string }) {
  const styles = useStyles();
  const commands = useAllowedCommands(declared);
  return (
    // The padding leaves room for the toolbar's own.
    <Overflow padding={24}>
      <Toolbar aria-label={ariaLabel} className={styles.bar} size="medium">
        {commands.map((c, i) => {
          const button = (
            <ToolbarButton
              className={styles.button}
              appearance="subtle"
              icon={c.icon}
              // A refused command stays hoverable, so its tooltip can say what is missing.
              disabled={c.disabled && !c.denied}
              disabledFocusable={!!c.denied}
              onClick={() => c.run()}
              data-command={c.id}
              data-denied={c.denied}
            >
              {c.label}
            </ToolbarButton>
          );
          return (
            <Fragment key={c.id}>
              {/* Of the group it opens, so it goes with that group into the More menu. */}
              {startsGroup(commands, i) && (
                <OverflowDivider groupId={c.group ?? ""}>
                  <ToolbarDivider />
                </OverflowDivider>
              )}
              <OverflowItem id={c.id} groupId={c.group} priority={c.priority ?? 0}>
                {c.description ? (
                  <Tooltip content={c.description} relationship="description">
                    {button}
                  </Tooltip>
                ) : (
                  button
                )}
              </OverflowItem>
            </Fragment>
          );
        })}
        <MoreMenu commands={commands} />
      </Toolbar>
    </Overflow>
  );
}
