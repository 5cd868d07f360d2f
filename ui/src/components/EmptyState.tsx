// What an empty page says: what it will hold, and what to do next, with the links to do it.
import { Link, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";

export interface EmptyAction {
  label: string;
  run(): void;
}

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalXXL,
    maxWidth: "720px",
    color: tokens.colorNeutralForeground2,
  },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL },
});

export function EmptyState({ title, message, actions = [], testId }: { title: string; message: string; actions?: readonly EmptyAction[]; testId?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.root} role="status" data-testid={testId}>
      {title && <Subtitle2 as="h2">{title}</Subtitle2>}
      <Text>{message}</Text>
      {actions.length > 0 && (
        <div className={styles.actions}>
          {actions.map((a) => (
            <Link key={a.label} as="button" onClick={a.run}>
              {a.label}
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}
