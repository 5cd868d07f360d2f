// The command bar ("ribbon") above a node's view. Features declare their commands as data
// (see features/*/commands.ts); this renders them, so every node's bar looks and behaves alike.
import { Toolbar, ToolbarButton, ToolbarDivider, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { Fragment, type ReactElement } from "react";

export interface Command {
  id: string;
  label: string;
  icon?: ReactElement;
  /** Longer text shown as a tooltip. */
  description?: string;
  disabled?: boolean;
  /** Starts a new group, drawn after a divider. */
  group?: string;
  run(): void;
}

const useStyles = makeStyles({
  bar: {
    minHeight: "40px",
    backgroundColor: tokens.colorNeutralBackground2,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: "solid",
    borderBottomColor: tokens.colorNeutralStroke2,
    flexWrap: "wrap",
  },
});

export function CommandBar({ commands, ariaLabel }: { commands: readonly Command[]; ariaLabel: string }) {
  const styles = useStyles();
  return (
    <Toolbar aria-label={ariaLabel} className={styles.bar} size="medium">
      {commands.map((c, i) => {
        const divider = i > 0 && c.group !== undefined && c.group !== commands[i - 1].group;
        const button = (
          <ToolbarButton appearance="subtle" icon={c.icon} disabled={c.disabled} onClick={() => c.run()} data-command={c.id}>
            {c.label}
          </ToolbarButton>
        );
        return (
          <Fragment key={c.id}>
            {divider && <ToolbarDivider />}
            {c.description ? (
              <Tooltip content={c.description} relationship="description">
                {button}
              </Tooltip>
            ) : (
              button
            )}
          </Fragment>
        );
      })}
    </Toolbar>
  );
}
