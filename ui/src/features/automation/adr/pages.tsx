// The rule's own pages of the Create Automatic Deployment Rule wizard (the deployment pages
// are the Deploy wizard's, in deployments/pages). Each page shows the issues of its own fields
// under those fields.
import { useMemo, useState, type ReactNode } from "react";
import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  Input,
  Label,
  Option,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { TargetTree, UpdateGroupOptions, fieldState, usePageStyles } from "../../deployments/pages/fields";
import { buildCriteria, isTimeOfDay, localIssues, nextEvaluation, showLocal, showUtc, SPAN_UNITS, type AdrForm, type CriteriaForm, type SpanField } from "./model";
import { PreviewDialog, useLiveCount } from "./PreviewDialog";
import { strings } from "./strings";
import type { CategoryInfo, ContentPackage, DistributionPoint, EvaluationKind, TargetGroup, UpdateGroupInfo } from "./types";

const w = strings.wizard;

export interface PageProps {
  form: AdrForm;
  issues: Record<string, string>;
  onChange(patch: Partial<AdrForm>): void;
}

// The deployment pages' layout, and what only the rule's pages need.
const useRuleStyles = makeStyles({
  columns: { display: "grid", gridTemplateColumns: "1fr 1fr", gap: tokens.spacingHorizontalL },
  preview: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  amount: { width: "90px" },
});
const useStyles = () => ({ ...usePageStyles(), ...useRuleStyles() });

/**
 * A labelled list of checkboxes. Not a Field: a Field would name every checkbox inside it
 * after its own label.
 */
function CheckGroup({ label, issue, children, box = false }: { label: string; issue?: string; children: ReactNode; box?: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.section}>
      <Label weight="semibold">{label}</Label>
      <div className={box ? styles.box : styles.row} role="group" aria-label={label}>
        {children}
      </div>
      {issue && (
        <Text role="alert" className={styles.issue}>
          {issue}
        </Text>
      )}
    </div>
  );
}

export function GeneralPage({
  form,
  issues,
  onChange,
  targets,
  groups,
  editing,
  failures,
}: PageProps & { targets: readonly TargetGroup[] | null; groups: readonly UpdateGroupInfo[] | null; editing: boolean; failures: ReactNode }) {
  const styles = useStyles();
  const g = w.general;
  const group = groups?.find((x) => x.id === form.existingUpdateGroupId);
  return (
    <>
      {failures}
      <Field label={g.name} required {...fieldState(issues.name)}>
        <Input value={form.name} onChange={(_, d) => onChange({ name: d.value })} />
      </Field>
      <Field label={g.description} {...fieldState(issues.description)}>
        <Textarea value={form.description} resize="vertical" onChange={(_, d) => onChange({ description: d.value })} />
      </Field>
      <Field label={g.collection} hint={g.collectionHint} required {...fieldState(issues.targetGroupId ?? issues.deployments)}>
        <TargetTree targets={targets} value={form.targetGroupId} label={g.collection} onChange={(id) => onChange({ targetGroupId: id })} />
      </Field>
      <Field label={g.groupMode} {...fieldState(issues.groupMode)}>
        <RadioGroup value={form.groupMode} onChange={(_, d) => onChange({ groupMode: d.value as AdrForm["groupMode"] })}>
          <Radio value="NewGroupEachRun" label={g.NewGroupEachRun} />
          <Radio value="AddToExistingGroup" label={g.AddToExistingGroup} />
        </RadioGroup>
      </Field>
      {form.groupMode === "AddToExistingGroup" && (
        <div className={styles.indent}>
          <Field label={g.existingGroup} hint={g.existingGroupHint} {...fieldState(issues.existingUpdateGroupId)}>
            <Dropdown
              placeholder={g.chooseGroup}
              disabled={!groups}
              value={group ? group.name : ""}
              selectedOptions={form.existingUpdateGroupId !== null ? [String(form.existingUpdateGroupId)] : [""]}
              onOptionSelect={(_, d) => onChange({ existingUpdateGroupId: d.optionValue ? Number(d.optionValue) : null })}
            >
              <Option value="" text={g.chooseGroup}>
                {g.chooseGroup}
              </Option>
              <UpdateGroupOptions groups={groups} />
            </Dropdown>
          </Field>
        </div>
      )}
      {!editing && <Checkbox checked={form.enableAfterCreate} label={g.enable} onChange={(_, d) => onChange({ enableAfterCreate: d.checked === true })} />}
    </>
  );
}

export function SpanInput({
  label,
  value,
  onChange,
  disabled,
  units = SPAN_UNITS,
}: {
  label: string;
  value: SpanField;
  onChange(v: SpanField): void;
  disabled?: boolean;
  units?: readonly SpanField["unit"][];
}) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Field label={`${label}: ${w.schedule.amount}`}>
        <Input className={styles.amount} type="number" min={0} disabled={disabled} value={value.value} onChange={(_, d) => onChange({ ...value, value: d.value })} />
      </Field>
      <Field label={`${label}: ${w.schedule.unit}`}>
        <Dropdown
          disabled={disabled}
          value={strings.unitNames[value.unit]}
          selectedOptions={[value.unit]}
          onOptionSelect={(_, d) => d.optionValue && onChange({ ...value, unit: d.optionValue as SpanField["unit"] })}
        >
          {units.map((u) => (
            <Option key={u} value={u}>
              {strings.unitNames[u]}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </div>
  );
}

function CategoryList({
  label,
  categories,
  chosen,
  onChange,
  issue,
}: {
  label: string;
  categories: readonly CategoryInfo[];
  chosen: readonly string[];
  onChange(ids: string[]): void;
  issue?: string;
}) {
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return [...categories].sort((a, b) => a.title.localeCompare(b.title)).filter((c) => !f || c.title.toLowerCase().includes(f) || chosen.includes(c.categoryId));
  }, [categories, filter, chosen]);
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <CheckGroup label={`${label} (${chosen.length ? w.criteria.chosen(chosen.length) : w.criteria.anyValue})`} issue={issue} box>
      <Input size="small" placeholder={w.criteria.categoryFilter} aria-label={`${label}: ${w.criteria.categoryFilter}`} value={filter} onChange={(_, d) => setFilter(d.value)} />
      {shown.map((c) => (
        <Checkbox key={c.categoryId} label={c.title} checked={chosen.includes(c.categoryId)} onChange={(_, d) => toggle(c.categoryId, d.checked === true)} />
      ))}
    </CheckGroup>
  );
}

export function SoftwareUpdatesPage({ form, issues, onChange, categories, failures }: PageProps & { categories: readonly CategoryInfo[] | null; failures: ReactNode }) {
  const styles = useStyles();
  const t = w.criteria;
  const c = form.criteria;
  const set = (patch: Partial<CriteriaForm>) => onChange({ criteria: { ...c, ...patch } });
  const [previewOpen, setPreviewOpen] = useState(false);
  // Only criteria that check are counted (a half-typed number is not asked about).
  const checked = localIssues(form, "softwareUpdates", new Date()).length === 0 ? buildCriteria(c) : null;
  const count = useLiveCount(checked);
  const severityValues = [...t.severities, ""];
  return (
    <>
      {failures}
      <div className={styles.preview}>
        <Text role="status" aria-live="polite" data-testid="live-count" weight="semibold">
          {count.state === "done" ? t.previewCount(count.total) : count.state === "working" ? t.previewWorking : count.state === "failed" ? `${t.previewFailed}: ${count.failure.message}` : ""}
        </Text>
        <Button size="small" disabled={!checked} onClick={() => setPreviewOpen(true)}>
          {t.preview}
        </Button>
      </div>
      {issues.criteria && (
        <Text role="alert" className={styles.issue}>
          {issues.criteria}
        </Text>
      )}
      <div className={styles.columns}>
        <CategoryList
          label={t.classifications}
          categories={(categories ?? []).filter((x) => x.kind === "UpdateClassification")}
          chosen={c.classificationIds}
          onChange={(ids) => set({ classificationIds: ids })}
          issue={issues.classificationIds}
        />
        <CategoryList
          label={t.products}
          categories={(categories ?? []).filter((x) => x.kind === "Product")}
          chosen={c.productIds}
          onChange={(ids) => set({ productIds: ids })}
          issue={issues.productIds}
        />
      </div>
      <CheckGroup label={t.severity} issue={issues.severities}>
        {severityValues.map((s) => (
          <Checkbox
            key={s || "none"}
            label={s || t.noSeverity}
            checked={c.severities.includes(s)}
            onChange={(_, d) => set({ severities: d.checked === true ? [...c.severities, s] : c.severities.filter((x) => x !== s) })}
          />
        ))}
      </CheckGroup>
      <Field label={t.titleContains} {...fieldState(issues.titleContains)}>
        <Input value={c.titleContains} onChange={(_, d) => set({ titleContains: d.value })} />
      </Field>
      <Field {...fieldState(issues.releasedWithin)}>
        <Checkbox checked={c.releasedOn} label={t.releasedWithin} onChange={(_, d) => set({ releasedOn: d.checked === true })} />
        {c.releasedOn && (
          <div className={styles.indent}>
            <SpanInput label={t.releasedWithin} value={c.released} onChange={(released) => set({ released })} />
          </div>
        )}
      </Field>
      <Field {...fieldState(issues.revisedWithin)}>
        <Checkbox checked={c.revisedOn} label={t.revisedWithin} onChange={(_, d) => set({ revisedOn: d.checked === true })} />
        {c.revisedOn && (
          <div className={styles.indent}>
            <SpanInput label={t.revisedWithin} value={c.revised} onChange={(revised) => set({ revised })} />
          </div>
        )}
      </Field>
      <div className={styles.row}>
        <Field label={t.superseded} {...fieldState(issues.superseded)}>
          <Dropdown
            value={c.superseded === "any" ? t.supersededAny : c.superseded === "no" ? t.supersededNo : t.supersededYes}
            selectedOptions={[c.superseded]}
            onOptionSelect={(_, d) => d.optionValue && set({ superseded: d.optionValue as CriteriaForm["superseded"] })}
          >
            <Option value="no">{t.supersededNo}</Option>
            <Option value="yes">{t.supersededYes}</Option>
            <Option value="any">{t.supersededAny}</Option>
          </Dropdown>
        </Field>
        <Field label={t.minRequired} {...fieldState(issues.minRequired)}>
          <Input type="number" min={0} placeholder={t.noLimit} value={c.minRequired} onChange={(_, d) => set({ minRequired: d.value })} />
        </Field>
      </div>
      <Field {...fieldState(issues.includeExpired)}>
        <Checkbox checked={c.includeExpired} label={t.includeExpired} onChange={(_, d) => set({ includeExpired: d.checked === true })} />
      </Field>
      <Field label={t.languages} {...fieldState(issues.languages)}>
        <Input value={c.languages} onChange={(_, d) => set({ languages: d.value })} />
      </Field>
      {previewOpen && checked && <PreviewDialog criteria={checked} onClose={() => setPreviewOpen(false)} />}
    </>
  );
}

const KINDS: readonly EvaluationKind[] = ["Manual", "AfterSync", "Daily", "Weekly", "MonthlyAfterPatchTuesday"];

export function EvaluationPage({ form, issues, onChange, now }: PageProps & { now: Date }) {
  const styles = useStyles();
  const e = w.evaluation;
  const timed = form.evaluationKind === "Daily" || form.evaluationKind === "Weekly" || form.evaluationKind === "MonthlyAfterPatchTuesday";
  const next = timed
    ? nextEvaluation(
        { kind: form.evaluationKind, timeUtc: form.timeUtc.trim(), dayOfWeek: form.dayOfWeek, daysAfterPatchTuesday: Number(form.daysAfterPatchTuesday) },
        now,
      )
    : null;
  return (
    <>
      <Field label={e.kind} {...fieldState(issues.kind)}>
        <RadioGroup value={form.evaluationKind} onChange={(_, d) => onChange({ evaluationKind: d.value as EvaluationKind })}>
          {KINDS.map((k) => (
            <Radio key={k} value={k} label={e[k]} />
          ))}
        </RadioGroup>
      </Field>
      {timed && (
        <div className={styles.indent}>
          {form.evaluationKind === "Weekly" && (
            <Field label={e.day} {...fieldState(issues.dayOfWeek)}>
              <Dropdown
                value={strings.weekdays[form.dayOfWeek]}
                selectedOptions={[String(form.dayOfWeek)]}
                onOptionSelect={(_, d) => d.optionValue && onChange({ dayOfWeek: Number(d.optionValue) })}
              >
                {strings.weekdays.map((day, i) => (
                  <Option key={day} value={String(i)}>
                    {day}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          )}
          {form.evaluationKind === "MonthlyAfterPatchTuesday" && (
            <Field label={e.offset} {...fieldState(issues.daysAfterPatchTuesday)}>
              <Input type="number" min={0} max={27} value={form.daysAfterPatchTuesday} onChange={(_, d) => onChange({ daysAfterPatchTuesday: d.value })} />
            </Field>
          )}
          <Field label={e.time} {...fieldState(issues.timeUtc)}>
            <Input value={form.timeUtc} placeholder="02:00" onChange={(_, d) => onChange({ timeUtc: d.value })} />
          </Field>
        </div>
      )}
      <Text data-testid="next-evaluation">
        {next && isTimeOfDay(form.timeUtc) ? e.next(showUtc(next), showLocal(next)) : timed ? "" : e.noNext}
      </Text>
    </>
  );
}

/** Available and deadline as delays after each run (shared with Add Deployment). */
export function ScheduleFields({
  value,
  onChange,
  issues,
  required,
}: {
  value: Pick<AdrForm, "availableMode" | "availableAfter" | "deadlineMode" | "deadlineAfter">;
  onChange(patch: Partial<Pick<AdrForm, "availableMode" | "availableAfter" | "deadlineMode" | "deadlineAfter">>): void;
  issues: Record<string, string>;
  required: boolean;
}) {
  const styles = useStyles();
  const s = w.schedule;
  return (
    <>
      <Field label={s.available} {...fieldState(issues.availableAfter ?? issues.availableUtc)}>
        <RadioGroup aria-label={s.available} value={value.availableMode} onChange={(_, d) => onChange({ availableMode: d.value as AdrForm["availableMode"] })}>
          <Radio value="asap" label={s.asap} />
          <Radio value="after" label={s.after} />
        </RadioGroup>
        {value.availableMode === "after" && (
          <div className={styles.indent}>
            <SpanInput label={s.available} value={value.availableAfter} onChange={(availableAfter) => onChange({ availableAfter })} units={["Hours", "Days", "Weeks"]} />
          </div>
        )}
      </Field>
      <Field label={s.deadline} {...fieldState(issues.deadlineAfter ?? issues.deadlineUtc)}>
        <RadioGroup aria-label={s.deadline} value={value.deadlineMode} onChange={(_, d) => onChange({ deadlineMode: d.value as AdrForm["deadlineMode"] })}>
          <Radio value="none" label={s.noDeadline} disabled={required} />
          <Radio value="after" label={s.deadlineAfter} />
        </RadioGroup>
        {value.deadlineMode === "after" && (
          <div className={styles.indent}>
            <SpanInput label={s.deadline} value={value.deadlineAfter} onChange={(deadlineAfter) => onChange({ deadlineAfter })} units={["Hours", "Days", "Weeks"]} />
          </div>
        )}
      </Field>
    </>
  );
}

export function DeploymentSchedulePage({ form, issues, onChange }: PageProps) {
  return <ScheduleFields value={form} onChange={onChange} issues={issues} required={form.deploy.deploymentType === "Required"} />;
}

export function PackagePage({ form, issues, onChange, packages, failures }: PageProps & { packages: readonly ContentPackage[] | null; failures: ReactNode }) {
  const styles = useStyles();
  const p = w.package;
  const chosen = packages?.find((x) => x.id === form.packageId);
  return (
    <>
      {failures}
      <Field label={p.choice} {...fieldState(issues.package)}>
        <RadioGroup value={form.packageKind} onChange={(_, d) => onChange({ packageKind: d.value as AdrForm["packageKind"] })}>
          <Radio value="NoPackage" label={p.NoPackage} />
          <Radio value="Existing" label={p.Existing} />
          <Radio value="New" label={p.New} />
        </RadioGroup>
      </Field>
      {form.packageKind === "Existing" && (
        <div className={styles.indent}>
          <Field label={p.existing}>
            <Dropdown
              placeholder={p.chooseExisting}
              disabled={!packages}
              value={chosen ? chosen.name : ""}
              selectedOptions={form.packageId !== null ? [String(form.packageId)] : []}
              onOptionSelect={(_, d) => onChange({ packageId: d.optionValue ? Number(d.optionValue) : null })}
            >
              {(packages ?? []).map((x) => (
                <Option key={x.id} value={String(x.id)} text={x.name}>
                  {x.name}
                </Option>
              ))}
            </Dropdown>
          </Field>
        </div>
      )}
      {form.packageKind === "New" && (
        <div className={styles.indent}>
          <Field label={p.name} required>
            <Input value={form.packageName} onChange={(_, d) => onChange({ packageName: d.value })} />
          </Field>
        </div>
      )}
    </>
  );
}

export function DownloadPage({
  form,
  issues,
  onChange,
  points,
  failures,
  clientOptions,
}: PageProps & { points: readonly DistributionPoint[] | null; failures: ReactNode; clientOptions: ReactNode }) {
  const styles = useStyles();
  const d = w.download;
  const noPackage = form.packageKind === "NoPackage";
  return (
    <>
      {failures}
      {clientOptions}
      {noPackage && <Text className={styles.hint}>{d.noPackageHint}</Text>}
      <Field label={d.source} {...fieldState(issues.downloadSource)}>
        <RadioGroup disabled={noPackage} value={form.sourceKind} onChange={(_, v) => onChange({ sourceKind: v.value as AdrForm["sourceKind"] })}>
          <Radio value="Upstream" label={d.Upstream} />
          <Radio value="MicrosoftUpdate" label={d.MicrosoftUpdate} />
          <Radio value="LocalFolder" label={d.LocalFolder} />
        </RadioGroup>
      </Field>
      {form.sourceKind === "LocalFolder" && (
        <div className={styles.indent}>
          <Field label={d.path} required>
            <Input disabled={noPackage} value={form.sourcePath} onChange={(_, v) => onChange({ sourcePath: v.value })} />
          </Field>
        </div>
      )}
      <Field label={d.languages} {...fieldState(issues.languages)}>
        <Input disabled={noPackage} value={form.languages} onChange={(_, v) => onChange({ languages: v.value })} />
      </Field>
      <CheckGroup label={d.points} issue={issues.distributionPointIds} box>
        {points && points.length === 0 ? (
          <Text className={styles.hint}>{d.noPoints}</Text>
        ) : (
          (points ?? []).map((p) => (
            <Checkbox
              key={p.id}
              disabled={noPackage}
              label={`${p.name} (${p.location})`}
              checked={form.distributionPointIds.includes(p.id)}
              onChange={(_, v) =>
                onChange({ distributionPointIds: v.checked === true ? [...form.distributionPointIds, p.id] : form.distributionPointIds.filter((x) => x !== p.id) })
              }
            />
          ))
        )}
      </CheckGroup>
    </>
  );
}
