// Secondary text: "Select a rule to see its summary.", "No download yet.", hints.
import { Text, makeStyles, mergeClasses, tokens, type TextProps } from "@fluentui/react-components";

const useStyles = makeStyles({ muted: { color: tokens.colorNeutralForeground3 } });

export function MutedText({ className, ...props }: TextProps) {
  const styles = useStyles();
  return <Text {...props} className={mergeClasses(styles.muted, className)} />;
}
