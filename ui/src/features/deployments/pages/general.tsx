// The General page of the Deploy Software Updates wizard: name, the software updates (the
// selection it was started with, or a software update group) and the target collection.
import type { ReactNode } from "react";
import { Dropdown, Field, Input, Radio, RadioGroup, Text, Textarea } from "@fluentui/react-components";
import type { DeployForm } from "../model";
import { strings } from "../strings";
import type { TargetGroup, UpdateGroupInfo } from "../types";
import { TargetTree, UpdateGroupOptions, fieldState as state, usePageStyles as useStyles, type PageProps } from "./fields";

const w = strings.wizard;

export function GeneralPage({
  form,
  issues,
  onChange,
  groups,
  targets,
  editing,
  failures,
}: PageProps & { groups: readonly UpdateGroupInfo[] | null; targets: readonly TargetGroup[] | null; editing: boolean; failures: ReactNode }) {
  const styles = useStyles();
  const fromSelection = form.updateIds.length > 0 && !editing;
  const group = groups?.find((g) => g.id === form.updateGroupId);
  return (
    <>
      {failures}
      <Field label={w.general.name} required {...state(issues.name)}>
        <Input value={form.name} onChange={(_, d) => onChange({ name: d.value })} />
      </Field>
      <Field label={w.general.description} {...state(issues.description)}>
        <Textarea value={form.description} resize="vertical" onChange={(_, d) => onChange({ description: d.value })} />
      </Field>
      <Field label={w.general.source} {...state(issues.updateGroupId ?? issues.updateIds)}>
        {fromSelection ? (
          <RadioGroup value={form.source} onChange={(_, d) => onChange({ source: d.value as DeployForm["source"] })}>
            <Radio value="updates" label={w.general.selectedUpdates(form.updateIds.length)} />
            <Radio value="group" label={w.general.updateGroup} />
          </RadioGroup>
        ) : editing ? (
          <Text className={styles.hint}>{w.general.groupFixed}</Text>
        ) : null}
      </Field>
      {form.source === "group" && (
        <div className={fromSelection ? styles.indent : styles.section}>
          <Field label={w.general.updateGroupPicker} hint={groups && groups.length === 0 ? w.general.noGroups : undefined}>
            <Dropdown
              placeholder={w.general.chooseGroup}
              disabled={editing || !groups}
              value={group ? group.name : ""}
              selectedOptions={form.updateGroupId !== null ? [String(form.updateGroupId)] : []}
              onOptionSelect={(_, d) => onChange({ updateGroupId: d.optionValue ? Number(d.optionValue) : null })}
            >
              <UpdateGroupOptions groups={groups} />
            </Dropdown>
          </Field>
        </div>
      )}
      <Field label={w.general.collection} hint={w.general.collectionHint} required {...state(issues.targetGroupId)}>
        <TargetTree targets={targets} value={form.targetGroupId} label={w.general.collection} onChange={(id) => onChange({ targetGroupId: id })} />
      </Field>
    </>
  );
}
