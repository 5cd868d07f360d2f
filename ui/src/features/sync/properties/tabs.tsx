// The tabs of Software Update Point Properties: Sync Settings, Classifications, Products,
// Sync Schedule, Languages. Each edits a slice of the one SyncForm its dialog holds.
import { useId, useMemo, type ReactNode } from "react";
import {
  Badge,
  Checkbox,
  Field,
  Input,
  Label,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Text,
  Tree,
  TreeItem,
  TreeItemLayout,
  makeStyles,
  shorthands,
  tokens,
  type TreeCheckedChangeData,
} from "@fluentui/react-components";
import type { CategoryInfo, SyncSettings, SyncSource } from "../../../api";
import { allProductIds, buildProductTree, checkState, productIds, type ProductNode } from "../categoryTree";
import { languageChoices } from "../languages";
import { localEquivalent, viewerTimeZone } from "../schedule";
import { settingsFromForm, toggled, toggledAll, type FormErrors, type RecurrenceKind, type SyncForm } from "../settingsForm";
import { strings } from "../strings";

const p = strings.properties;

export interface TabProps {
  form: SyncForm;
  errors: FormErrors;
  /** The settings as stored when the dialog opened (or last applied). */
  stored: SyncSettings;
  onChange(patch: Partial<SyncForm>): void;
}

const useStyles = makeStyles({
  tab: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "760px" },
  intro: { color: tokens.colorNeutralForeground2 },
  muted: { color: tokens.colorNeutralForeground3 },
  error: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  url: { maxWidth: "520px" },
  warning: { marginLeft: tokens.spacingHorizontalXXL },
  list: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(230px, 1fr))",
    columnGap: tokens.spacingHorizontalL,
    rowGap: 0,
  },
  classList: { display: "flex", flexDirection: "column" },
  label: { display: "inline-flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  tree: {
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke2),
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalXS,
  },
  scheduleRow: { display: "flex", alignItems: "flex-end", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  schedule: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, marginLeft: tokens.spacingHorizontalXXL },
  hours: { width: "90px" },
  day: { minWidth: "160px" },
  time: { width: "130px" },
  local: { color: tokens.colorNeutralForeground2, paddingBottom: tokens.spacingVerticalSNudge },
});

function NewBadge() {
  return (
    <Badge appearance="tint" color="brand" size="small" title={p.newHint}>
      {p.newBadge}
    </Badge>
  );
}

function Intro({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <Text className={styles.intro}>{children}</Text>;
}

export function SyncSettingsTab({ form, errors, onChange }: TabProps) {
  const styles = useStyles();
  const s = p.syncSettings;
  const usesUrl = form.source !== "MicrosoftUpdate";
  const plainHttp = /^\s*http:\/\//i.test(form.upstreamUrl);
  return (
    <div className={styles.tab}>
      <Intro>{s.intro}</Intro>
      <Field label={s.sourceLabel}>
        <RadioGroup value={form.source} onChange={(_, d) => onChange({ source: d.value as SyncSource })}>
          <Radio value="MicrosoftUpdate" label={strings.source.MicrosoftUpdate} />
          <Radio value="UpstreamServer" label={strings.source.UpstreamServer} />
          <Radio value="ParentSite" label={strings.source.ParentSite} />
        </RadioGroup>
      </Field>
      <Field
        label={s.upstreamUrl}
        className={styles.url}
        required={usesUrl}
        validationMessage={usesUrl ? errors.upstreamUrl : undefined}
        hint={usesUrl ? s.upstreamUrlHint : s.upstreamUrlIgnored}
      >
        <Input
          type="url"
          value={form.upstreamUrl}
          disabled={!usesUrl}
          placeholder="https://"
          onChange={(_, d) => onChange({ upstreamUrl: d.value })}
        />
      </Field>
      <Checkbox
        label={s.allowPlainHttp}
        checked={form.allowPlainHttp}
        disabled={!usesUrl}
        onChange={(_, d) => onChange({ allowPlainHttp: d.checked === true })}
      />
      {usesUrl && (form.allowPlainHttp || plainHttp) && (
        <MessageBar intent="warning" layout="multiline" className={styles.warning}>
          <MessageBarBody>{s.plainHttpWarning}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={s.proxyUrl} className={styles.url} hint={s.proxyUrlHint}>
        <Input value={form.proxyUrl} placeholder="http://" onChange={(_, d) => onChange({ proxyUrl: d.value })} />
      </Field>
      <Field label={s.caCertificateFile} className={styles.url} hint={s.caCertificateFileHint}>
        <Input value={form.caCertificateFile} onChange={(_, d) => onChange({ caCertificateFile: d.value })} />
      </Field>
    </div>
  );
}

export function ClassificationsTab({ form, onChange, categories }: TabProps & { categories: readonly CategoryInfo[] }) {
  const styles = useStyles();
  const c = p.classifications;
  const list = useMemo(
    () => categories.filter((x) => x.kind === "UpdateClassification").sort((a, b) => a.title.localeCompare(b.title)),
    [categories],
  );
  const chosen = new Set(form.classificationIds);
  return (
    <div className={styles.tab}>
      <Intro>{c.intro}</Intro>
      {form.classificationIds.length === 0 && (
        <MessageBar intent="info">
          <MessageBarBody>{c.allWhenNone}</MessageBarBody>
        </MessageBar>
      )}
      <div role="group" aria-label={c.listLabel} className={styles.classList}>
        {list.map((x) => {
          const id = x.categoryId.toLowerCase();
          return (
            <Checkbox
              key={id}
              data-category-id={id}
              checked={chosen.has(id)}
              onChange={(_, d) => onChange({ classificationIds: toggled(form.classificationIds, id, d.checked === true) })}
              label={
                <span className={styles.label}>
                  {x.title}
                  {x.isNew && <NewBadge />}
                  {!x.synced && <span className={styles.code}>({c.notYetSynced})</span>}
                </span>
              }
            />
          );
        })}
      </div>
    </div>
  );
}

function branchIds(nodes: readonly ProductNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.children.length > 0) {
      out.push(n.id);
      branchIds(n.children, out);
    }
  }
  return out;
}

export function ProductsTab({ form, stored, onChange, categories }: TabProps & { categories: readonly CategoryInfo[] }) {
  const styles = useStyles();
  const t = p.products;
  const tree = useMemo(() => buildProductTree(categories), [categories]);
  const byId = useMemo(() => {
    const m = new Map<string, ProductNode>();
    const walk = (list: readonly ProductNode[]) =>
      list.forEach((n) => {
        m.set(n.id, n);
        walk(n.children);
      });
    walk(tree);
    return m;
  }, [tree]);
  const known = useMemo(() => allProductIds(tree), [tree]);
  const chosen = new Set(form.productIds);
  const unknownChosen = form.productIds.filter((id) => !known.has(id)).length;
  const checkedItems = [...byId.values()].map((n) => [n.id, checkState(n, chosen)] as [string, boolean | "mixed"]);

  const onCheckedChange = (_: unknown, data: TreeCheckedChangeData) => {
    const node = byId.get(String(data.value));
    if (!node) return;
    const on = checkState(node, chosen) !== true;
    onChange({ productIds: toggledAll(form.productIds, productIds(node), on) });
  };

  const render = (list: readonly ProductNode[]) =>
    list.map((n) => {
      const branch = n.children.length > 0;
      return (
        <TreeItem key={n.id} value={n.id} itemType={branch ? "branch" : "leaf"} data-category-id={n.id} data-kind={n.kind}>
          <TreeItemLayout>
            <span className={styles.label}>
              {n.title}
              {n.kind === "Product" && n.isNew && <NewBadge />}
            </span>
          </TreeItemLayout>
          {branch && <Tree>{render(n.children)}</Tree>}
        </TreeItem>
      );
    });

  return (
    <div className={styles.tab}>
      <Intro>{t.intro}</Intro>
      {stored.productIds.length === 0 && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t.firstSyncHint}</MessageBarBody>
        </MessageBar>
      )}
      {tree.length === 0 ? (
        <Text className={styles.muted}>{t.noProducts}</Text>
      ) : (
        <>
          <Text className={styles.muted} role="status">
            {t.chosen(form.productIds.length)}
            {unknownChosen > 0 && ` ${t.unknownChosen(unknownChosen)}`}
          </Text>
          <Tree
            aria-label={t.treeLabel}
            className={styles.tree}
            size="small"
            selectionMode="multiselect"
            checkedItems={checkedItems}
            onCheckedChange={onCheckedChange}
            defaultOpenItems={branchIds(tree)}
          >
            {render(tree)}
          </Tree>
        </>
      )}
    </div>
  );
}

export function LanguagesTab({ form, errors, stored, onChange }: TabProps) {
  const styles = useStyles();
  const l = p.languages;
  const choices = useMemo(() => languageChoices(stored.languages), [stored.languages]);
  const labelId = useId();
  const errorId = useId();
  const chosen = new Set(form.languages);
  return (
    <div className={styles.tab}>
      <Intro>{l.intro}</Intro>
      <div role="group" aria-labelledby={labelId} aria-describedby={errors.languages ? errorId : undefined}>
        <Label id={labelId} required weight="semibold">
          {l.listLabel}
        </Label>
        <div className={styles.list}>
          {choices.map((lang) => (
            <Checkbox
              key={lang.code}
              checked={chosen.has(lang.code)}
              onChange={(_, d) => onChange({ languages: toggled(form.languages, lang.code, d.checked === true) })}
              label={
                <span className={styles.label}>
                  {lang.name ?? l.other(lang.code)}
                  <span className={styles.code}>{lang.code}</span>
                </span>
              }
            />
          ))}
        </div>
        {errors.languages && (
          <Text id={errorId} role="alert" className={styles.error}>
            {errors.languages}
          </Text>
        )}
      </div>
    </div>
  );
}

export function ScheduleTab({ form, errors, stored, onChange, now }: TabProps & { now: Date }) {
  const styles = useStyles();
  const sc = p.schedule;
  const local = form.scheduleEnabled ? localEquivalent(settingsFromForm(form, stored).schedule, now) : null;
  return (
    <div className={styles.tab}>
      <Checkbox
        label={sc.enable}
        checked={form.scheduleEnabled}
        onChange={(_, d) => onChange({ scheduleEnabled: d.checked === true })}
      />
      {!form.scheduleEnabled ? (
        <Text className={styles.muted}>{sc.disabledNote}</Text>
      ) : (
        <div className={styles.schedule}>
          <Intro>{sc.intro}</Intro>
          <Field label={sc.kindLabel}>
            <RadioGroup value={form.recurrence} onChange={(_, d) => onChange({ recurrence: d.value as RecurrenceKind })}>
              <Radio value="EveryHours" label={sc.everyHours} />
              <Radio value="Daily" label={sc.daily} />
              <Radio value="Weekly" label={sc.weekly} />
            </RadioGroup>
          </Field>
          <div className={styles.scheduleRow}>
            {form.recurrence === "EveryHours" && (
              <Field label={sc.hours} validationMessage={errors.everyHours}>
                <Input
                  className={styles.hours}
                  type="number"
                  min={1}
                  max={168}
                  value={form.everyHours}
                  onChange={(_, d) => onChange({ everyHours: d.value })}
                />
              </Field>
            )}
            {form.recurrence === "Weekly" && (
              <Field label={sc.day}>
                <Select
                  className={styles.day}
                  value={String(form.dayOfWeek)}
                  onChange={(_, d) => onChange({ dayOfWeek: Number(d.value) })}
                >
                  {strings.days.map((day, i) => (
                    <option key={day} value={i}>
                      {day}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            {form.recurrence !== "EveryHours" && (
              <Field label={sc.time} validationMessage={errors.timeUtc}>
                <Input
                  className={styles.time}
                  type="time"
                  step={60}
                  value={form.timeUtc}
                  onChange={(_, d) => onChange({ timeUtc: d.value })}
                />
              </Field>
            )}
            {local && (
              <Text className={styles.local} data-testid="schedule-local-time">
                {sc.localEquivalent(local)}
              </Text>
            )}
          </div>
          {form.recurrence !== "EveryHours" && <Text className={styles.muted}>{sc.timeZone(viewerTimeZone())}</Text>}
        </div>
      )}
    </div>
  );
}
