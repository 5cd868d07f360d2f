// What every deployment page is built from (the Deploy wizard's, the automatic deployment
// rule's and Add Deployment's): the page layout, a field's issue, and the collection picker.
import { Option, Radio, RadioGroup, Text, makeStyles, shorthands, tokens } from "@fluentui/react-components";
import { groupDepths, treeOrder, type DeployForm } from "../model";
import { strings } from "../strings";
import type { TargetGroup, UpdateGroupInfo } from "../types";

/** A deployment page over a DeployForm: its values, its fields' issues by field, and the edit. */
export interface PageProps {
  form: DeployForm;
  issues: Record<string, string>;
  onChange(patch: Partial<DeployForm>): void;
}

export const usePageStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  indent: { paddingLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  box: {
    maxHeight: "200px",
    overflowY: "auto",
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke1),
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
    display: "flex",
    flexDirection: "column",
  },
  hint: { color: tokens.colorNeutralForeground3 },
  row: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "flex-end", flexWrap: "wrap" },
  issue: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
});

/** A Field's props for an issue: marked in error with the message, or nothing. */
export const fieldState = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

/** The collections as an indented tree of radio buttons (one target collection). */
export function TargetTree({
  targets,
  value,
  onChange,
  label,
}: {
  targets: readonly TargetGroup[] | null;
  value: number | null;
  onChange(id: number): void;
  label: string;
}) {
  const styles = usePageStyles();
  const ordered = targets ? treeOrder(targets) : [];
  const depths = targets ? groupDepths(targets) : new Map<number, number>();
  return (
    <div className={styles.box}>
      {!targets ? (
        <Text className={styles.hint}>{strings.loading}</Text>
      ) : (
        <RadioGroup aria-label={label} value={value !== null ? String(value) : ""} onChange={(_, d) => onChange(Number(d.value))}>
          {ordered.map((t) => (
            <Radio key={t.id} value={String(t.id)} label={t.name} title={t.path} style={{ paddingLeft: `${(depths.get(t.id) ?? 0) * 20}px` }} />
          ))}
        </RadioGroup>
      )}
    </div>
  );
}

/** Software update groups as a dropdown's options, each named with its member count. */
export function UpdateGroupOptions({ groups }: { groups: readonly UpdateGroupInfo[] | null | undefined }) {
  return (
    <>
      {(groups ?? []).map((g) => (
        <Option key={g.id} value={String(g.id)} text={g.name}>
          {`${g.name} (${g.memberCount})`}
        </Option>
      ))}
    </>
  );
}
