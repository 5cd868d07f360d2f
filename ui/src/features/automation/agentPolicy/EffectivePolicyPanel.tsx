// POL-2: what the computers of a group get — the policy decided nearest to it, with the
// group it comes from, or the operating system's defaults when none applies.
import { useEffect, useState } from "react";
import { Field, Select, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { call, toApiFailure, type ApiFailure } from "../../../api";
import { ErrorBar } from "../../../components/ErrorBar";
import { PropertyList } from "../../../components/PropertyList";
import type { TargetGroups } from "../../groups/useTargetGroups";
import { displayValue } from "./model";
import { strings } from "./strings";
import type { EffectiveAgentPolicy, PolicySettingInfo } from "./types";

const x = strings.effective;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
  select: { minWidth: "280px", maxWidth: "420px" },
});

export function EffectivePolicyPanel(props: { groups: TargetGroups; info: readonly PolicySettingInfo[]; version: number }) {
  const { groups, info, version } = props;
  const styles = useStyles();
  const [groupId, setGroupId] = useState<number | null>(null);
  const [result, setResult] = useState<EffectiveAgentPolicy | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (groupId === null) return;
    let live = true;
    setLoading(true);
    call("effective_agent_policy", { computerId: null, groupIds: [groupId] }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setFailure(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setResult(null);
        setFailure(toApiFailure(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [groupId, version]);

  const sorted = [...(groups.groups ?? [])].sort((a, b) => a.path.localeCompare(b.path));
  return (
    <section className={styles.root} aria-labelledby="effective-heading" data-testid="effective-policy">
      <Subtitle2 as="h2" id="effective-heading">
        {x.heading}
      </Subtitle2>
      <Text className={styles.muted}>{x.intro}</Text>
      <Field label={x.group}>
        <Select
          className={styles.select}
          value={groupId === null ? "" : String(groupId)}
          onChange={(_, d) => setGroupId(d.value === "" ? null : Number(d.value))}
        >
          <option value="">{x.pick}</option>
          {sorted.map((g) => (
            <option key={g.id} value={String(g.id)}>
              {g.path}
            </option>
          ))}
        </Select>
      </Field>
      {loading && <Spinner size="tiny" label={x.loading} />}
      {failure && <ErrorBar title={x.failed} message={failure.message} />}
      {groupId !== null && result && !loading && (
        <>
          {result.settings === null ? (
            <>
              <Text weight="semibold" role="status">
                {x.osDefaults}
              </Text>
              <Text className={styles.muted}>{x.osDefaultsDetail}</Text>
            </>
          ) : (
            <>
              <Text weight="semibold" role="status">
                {x.from(result.policyName ?? "", result.sourceGroupPath ?? "")}
              </Text>
              <PropertyList
                ariaLabel={x.heading}
                items={info.map((i) => ({ label: i.label, value: result.settings ? displayValue(i.field, result.settings, i.unit) : "" }))}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
