// What a node that this version does not implement yet shows: no fake data.
import { makeStyles, tokens, Text, Subtitle2 } from "@fluentui/react-components";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalXXL,
    color: tokens.colorNeutralForeground2,
  },
});

export function NotAvailable({ title, message }: { title: string; message: string }) {
  const styles = useStyles();
  return (
    <div className={styles.root} role="status">
      <Subtitle2 as="h2">{title}</Subtitle2>
      <Text>{message}</Text>
    </div>
  );
}
