// Upload Update Wizard (TPU-1): Update Files (the installer and the files beside it, read by
// the site: kind, product, total size) → Update Description (prefilled from the installer)
// → Requirements → Detection Rules (executables only: a Windows Installer file's ProductCode
// is its rule) → Prerequisites → Command-line Arguments → Return Codes (an editable table) →
// Summary → Progress → Completion. Every page is checked by the site (validate_upload_page;
// the first page by inspect_installer), its refusals shown under the fields they name.
// Cancel sends nothing that changes the site; Publish runs publish_third_party_update (or
// edit_third_party_update: a new revision of the same update).
import { useEffect, useRef, useState } from "react";
import {
  Button,
  Checkbox,
  Dropdown,
  Field,
  FieldContextProvider,
  Input,
  MessageBar,
  MessageBarBody,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, DeleteRegular } from "@fluentui/react-icons";
import { call, toApiFailure, transportKind, type ApiFailure, type CategoryInfo } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { formatBytes } from "../../components/format";
import { WizardFrame, createOrEditEnd, type WizardCheck, type WizardIssue, type WizardPage } from "../../components/WizardFrame";
import {
  SITE_PAGE,
  addReturnCode,
  changeReturnCode,
  defaultSpec,
  extrasFromText,
  extrasToText,
  inputPages,
  isExecutable,
  pageOfField,
  parseCode,
  prefill,
  removeReturnCode,
  summaryLines,
  type InputPage,
} from "./model";
import { BrowserUpload } from "./BrowserUpload";
import { strings } from "./strings";
import type { InstallerDetails, ReturnCodeResult, RuleKind, RuleSpec, ThirdPartySpec, ThirdPartyUpdate } from "./types";

const w = strings.wizard;
const RULE_KINDS: RuleKind[] = ["Once", "FileExists", "MsiProductInstalled", "RegistryKeyExists"];
const REGISTRY_ROOTS = ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS"];
const RESULTS: ReturnCodeResult[] = ["Succeeded", "Failed", "Cancelled"];

const useStyles = makeStyles({
  indent: { paddingLeft: tokens.spacingHorizontalXXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  stack: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
  products: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(220px, 1fr))", maxHeight: "240px", overflowY: "auto" },
  codeInput: { width: "120px" },
  // A dropdown's own minimum width is wider than its table column: it would run over the
  // Restart needed checkbox beside it.
  cellDropdown: { minWidth: 0, width: "100%" },
});

export interface UploadWizardProps {
  /** An update to publish a new revision of; absent: a new update. */
  editing?: ThirdPartyUpdate;
  /** With the published update once done; nothing after Cancel. */
  onClose(result?: ThirdPartyUpdate): void;
}

const state = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

export function UploadWizard({ editing, onClose }: UploadWizardProps) {
  const styles = useStyles();
  const [spec, setSpec] = useState<ThirdPartySpec>(() => (editing ? { ...defaultSpec(), ...editing.spec } : defaultSpec()));
  const [extras, setExtras] = useState(() => extrasToText(editing?.spec.files.extraPaths ?? []));
  const [details, setDetails] = useState<InstallerDetails | null>(null);
  const [reading, setReading] = useState<{ key: string; failure?: ApiFailure } | null>(null);
  const [products, setProducts] = useState<CategoryInfo[] | null>(null);
  // Editing: the site takes the current revision's files out of its signed cabinet, so an
  // update uploaded from a browser (whose upload folder is gone) needs no upload again.
  const [keepFiles, setKeepFiles] = useState(!!editing);

  useEffect(() => {
    let alive = true;
    // Only the site's Windows products: the ones it can turn into a Windows version rule.
    call("list_operating_systems", {}).then(
      (windows) => alive && setProducts(windows),
      () => alive && setProducts([]),
    );
    return () => {
      alive = false;
    };
  }, []);

  const change = (patch: Partial<ThirdPartySpec>) => setSpec((s) => ({ ...s, ...patch }));
  const files = { path: spec.files.path.trim(), extraPaths: extrasFromText(extras) };
  const filesKey = JSON.stringify(files);

  // The browser's upload not yet published: removed from the site when the wizard is cancelled.
  const upload = useRef<string | null>(null);

  /** The site reads the installer: its details, and the description prefilled from them. */
  const inspect = async (chosen: typeof files = files): Promise<InstallerDetails> => {
    const key = JSON.stringify(chosen);
    setReading({ key });
    try {
      const found = await call("inspect_installer", chosen);
      setDetails(found);
      setReading(null);
      setSpec((s) => prefill({ ...s, files: chosen }, found));
      return found;
    } catch (e) {
      setReading({ key, failure: toApiFailure(e) });
      throw e;
    }
  };

  const uploaded = (uploadId: string, installer: string, extraPaths: string[]) => {
    if (upload.current && upload.current !== uploadId) void call("cancel_upload", { uploadId: upload.current }).catch(() => undefined);
    upload.current = uploadId;
    setSpec((s) => ({ ...s, files: { ...s.files, path: installer } }));
    setExtras(extrasToText(extraPaths));
    void inspect({ path: installer, extraPaths }).catch(() => undefined);
  };

  const validate = async (id: InputPage, check: WizardCheck): Promise<WizardIssue[]> => {
    if (id === "files") {
      if (keepFiles) return [];
      try {
        await check.once("inspect", inspect);
      } catch (e) {
        return [{ field: "files.path", message: toApiFailure(e).message }];
      }
      return [];
    }
    const current = { ...spec, files };
    return check.once("site", () => call("validate_upload_page", { page: SITE_PAGE[id], spec: current }));
  };

  const productName = (id: string) => products?.find((p) => p.categoryId === id)?.title ?? id;
  const exe = isExecutable(spec.files.path);

  const ruleFields = (prefix: string, rule: RuleSpec, set: (r: RuleSpec) => void, issues: Record<string, string>, kinds: RuleKind[]) => (
    <>
      <Field label={w.detection.kind} {...state(issues[`${prefix}.kind`])}>
        <RadioGroup value={rule.kind} onChange={(_, d) => set({ ...rule, kind: d.value as RuleKind })}>
          {kinds.map((k) => (
            <Radio key={k} value={k} label={w.detection[k]} />
          ))}
        </RadioGroup>
      </Field>
      <div className={styles.indent}>
        {rule.kind === "FileExists" && (
          <Field label={w.detection.path} required {...state(issues[`${prefix}.path`])}>
            <Input value={rule.path} onChange={(_, d) => set({ ...rule, path: d.value })} />
          </Field>
        )}
        {rule.kind === "MsiProductInstalled" && (
          <Field label={w.detection.productCode} required {...state(issues[`${prefix}.productCode`])}>
            <Input value={rule.productCode} placeholder="{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" onChange={(_, d) => set({ ...rule, productCode: d.value })} />
          </Field>
        )}
        {rule.kind === "RegistryKeyExists" && (
          <>
            <Field label={w.detection.key} {...state(issues[`${prefix}.key`])}>
              <Dropdown value={rule.key} selectedOptions={[rule.key]} onOptionSelect={(_, d) => set({ ...rule, key: d.optionValue ?? rule.key })}>
                {REGISTRY_ROOTS.map((r) => (
                  <Option key={r} value={r}>
                    {r}
                  </Option>
                ))}
              </Dropdown>
            </Field>
            <Field label={w.detection.subkey} required {...state(issues[`${prefix}.subkey`])}>
              <Input value={rule.subkey} onChange={(_, d) => set({ ...rule, subkey: d.value })} />
            </Field>
          </>
        )}
      </div>
    </>
  );

  const render = (id: InputPage, issues: Record<string, string>) => {
    switch (id) {
      case "files": {
        const failure = reading?.key === filesKey ? reading.failure : undefined;
        const keep = editing && (
          <Checkbox
            label={w.files.keep(editing.installerFile, String(editing.revision))}
            checked={keepFiles}
            onChange={(_, d) => setKeepFiles(d.checked === true)}
          />
        );
        if (keepFiles) return <div className={styles.stack}>{keep}</div>;
        return (
          <div className={styles.stack}>
            {keep}
            <Field label={w.files.path} hint={w.files.pathHint} required {...state(issues["files.path"])}>
              <Input value={spec.files.path} onChange={(_, d) => change({ files: { ...spec.files, path: d.value } })} />
            </Field>
            <Field label={w.files.extras} hint={w.files.extrasHint}>
              <Textarea value={extras} onChange={(_, d) => setExtras(d.value)} resize="vertical" />
            </Field>
            <div>
              <Button onClick={() => void inspect().catch(() => undefined)} disabled={!files.path}>
                {w.files.inspect}
              </Button>
            </div>
            {reading && !reading.failure && <Spinner size="tiny" label={w.files.reading} labelPosition="after" />}
            {failure && !issues["files.path"] && <ErrorBar title={w.files.readFailed} message={failure.message} />}
            {transportKind === "http" && <BrowserUpload onUploaded={uploaded} />}
            {details && (
              <MessageBar intent="info" layout="multiline">
                <MessageBarBody data-testid="installer-details">
                  <div>{w.files.found(strings.list.kind[details.kind] ?? details.kind, details.productName ?? "", details.productVersion ?? "")}</div>
                  {details.productCode && <div>{w.files.productCode(details.productCode)}</div>}
                  <div data-testid="upload-total">{w.files.total(details.files.length, formatBytes(details.totalSize))}</div>
                </MessageBarBody>
              </MessageBar>
            )}
          </div>
        );
      }
      case "description": {
        const d = spec.description;
        const set = (patch: Partial<ThirdPartySpec["description"]>) => change({ description: { ...d, ...patch } });
        return (
          <div className={styles.stack}>
            {details && (
              <Text size={200} className={styles.hint}>
                {w.description.prefilled}
              </Text>
            )}
            <Field label={w.description.title} required {...state(issues["description.title"])}>
              <Input value={d.title} onChange={(_, v) => set({ title: v.value })} />
            </Field>
            <Field label={w.description.description} {...state(issues["description.description"])}>
              <Textarea value={d.description} onChange={(_, v) => set({ description: v.value })} />
            </Field>
            <Field label={w.description.vendor} required {...state(issues["description.vendor"])}>
              <Input value={d.vendor} onChange={(_, v) => set({ vendor: v.value })} />
            </Field>
            <Field label={w.description.product} required {...state(issues["description.product"])}>
              <Input value={d.product} onChange={(_, v) => set({ product: v.value })} />
            </Field>
            <Field label={w.description.supportUrl} {...state(issues["description.supportUrl"])}>
              <Input value={d.supportUrl} onChange={(_, v) => set({ supportUrl: v.value })} />
            </Field>
            <Field label={w.description.classification} required {...state(issues.classification)}>
              <Dropdown
                value={spec.classification}
                selectedOptions={[spec.classification]}
                onOptionSelect={(_, v) => change({ classification: v.optionValue ?? spec.classification })}
              >
                {w.classifications.map((c) => (
                  <Option key={c} value={c}>
                    {c}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          </div>
        );
      }
      case "requirements": {
        const r = spec.requirements;
        return (
          <div className={styles.stack}>
            <Field label={w.requirements.architecture}>
              <RadioGroup value={r.architecture} onChange={(_, d) => change({ requirements: { ...r, architecture: d.value as typeof r.architecture } })}>
                <Radio value="X86" label={w.requirements.X86} />
                <Radio value="X64" label={w.requirements.X64} />
                <Radio value="Both" label={w.requirements.Both} />
              </RadioGroup>
            </Field>
            <Field
              label={w.requirements.operatingSystems}
              hint={products && products.length === 0 ? w.requirements.noProducts : w.requirements.operatingSystemsHint}
              {...state(issues["requirements.operatingSystems"])}
            >
              {/* Out of the Field's context: it hands its one control id to every checkbox
                  in it, and a click on any product's label would tick the first one. */}
              <FieldContextProvider value={undefined}>
                <div className={styles.products} role="group" aria-label={w.requirements.operatingSystems}>
                  {(products ?? []).map((p) => (
                    <Checkbox
                      key={p.categoryId}
                      label={p.title}
                      checked={r.operatingSystems.includes(p.categoryId)}
                      onChange={(_, d) =>
                        change({
                          requirements: {
                            ...r,
                            operatingSystems: d.checked === true ? [...r.operatingSystems, p.categoryId] : r.operatingSystems.filter((o) => o !== p.categoryId),
                          },
                        })
                      }
                    />
                  ))}
                </div>
              </FieldContextProvider>
            </Field>
          </div>
        );
      }
      case "detection":
        return <div className={styles.stack}>{ruleFields("detection", spec.detection, (detection) => change({ detection }), issues, RULE_KINDS)}</div>;
      case "prerequisites": {
        const p = spec.prerequisites;
        return (
          <div className={styles.stack}>
            <Field label={w.prerequisites.kind}>
              <RadioGroup value={p.kind} onChange={(_, d) => change({ prerequisites: { ...p, kind: d.value as typeof p.kind } })}>
                <Radio value="None" label={w.prerequisites.None} />
                <Radio value="Update" label={w.prerequisites.Update} />
                <Radio value="Rule" label={w.prerequisites.Rule} />
              </RadioGroup>
            </Field>
            <div className={styles.indent}>
              {p.kind === "Update" && (
                <Field label={w.prerequisites.updateId} hint={w.prerequisites.updateIdHint} required {...state(issues["prerequisites.updateId"])}>
                  <Input value={p.updateId} onChange={(_, d) => change({ prerequisites: { ...p, updateId: d.value } })} />
                </Field>
              )}
              {p.kind === "Rule" &&
                ruleFields("prerequisites.rule", p.rule, (rule) => change({ prerequisites: { ...p, rule } }), issues, RULE_KINDS.filter((k) => k !== "Once"))}
            </div>
          </div>
        );
      }
      case "arguments":
        return (
          <Field label={w.arguments.label} hint={exe ? w.arguments.exeHint : w.arguments.msiHint} required={exe} {...state(issues.arguments)}>
            <Input value={spec.arguments} onChange={(_, d) => change({ arguments: d.value })} />
          </Field>
        );
      case "returnCodes":
        return <ReturnCodesTable spec={spec} exe={exe} issue={issues.returnCodes} onChange={(returnCodes) => change({ returnCodes })} />;
    }
  };

  const byField = (issues: readonly WizardIssue[]) => Object.fromEntries(issues.map((i) => [i.field, i.message]));
  const page = (id: InputPage): WizardPage => ({
    id,
    label: w.pages[id],
    heading: w.headings[id],
    render: (issues) => render(id, byField(issues)),
    validate: (check) => validate(id, check),
    summary: () =>
      (id === "files" && keepFiles && editing
        ? [{ page: id, label: w.files.kept, value: w.files.keptValue(editing.installerFile, String(editing.revision)) }]
        : summaryLines({ ...spec, files }, details, productName)
      )
        .filter((l) => l.page === id)
        .map((l) => ({ label: l.label, value: l.value })),
  });

  const run = () => {
    const current = { ...spec, files };
    return editing
      ? call("edit_third_party_update", { updateId: editing.updateId, spec: current, keepFiles })
      : call("publish_third_party_update", current);
  };

  return (
    <WizardFrame<ThirdPartyUpdate>
      testId="upload-update-wizard"
      title={editing ? w.editTitle : w.title}
      texts={{ ...w.bar, pages: w.pages, running: w.running }}
      pages={inputPages(spec).map(page)}
      pageOfIssue={(i) => pageOfField(i.field)}
      value={{ spec, extras }}
      summary={{ heading: w.headings.summary }}
      run={run}
      {...createOrEditEnd(w, !!editing, (r: ThirdPartyUpdate) => r.title)}
      onClose={(done) => {
        if (!done && upload.current) void call("cancel_upload", { uploadId: upload.current }).catch(() => undefined);
        if (done) onClose(done);
        else onClose();
      }}
    />
  );
}

interface ReturnCodesTableProps {
  spec: ThirdPartySpec;
  exe: boolean;
  issue?: string;
  onChange(codes: ThirdPartySpec["returnCodes"]): void;
}

/** The Return Codes page: each code with its result and whether it needs a restart. */
function ReturnCodesTable({ spec, exe, issue, onChange }: ReturnCodesTableProps) {
  const styles = useStyles();
  const r = w.returnCodes;
  const codes = spec.returnCodes;
  return (
    <div className={styles.stack}>
      {!exe && (
        <Text size={200} className={styles.hint}>
          {r.msiNote}
        </Text>
      )}
      <Field label={r.label} hint={r.otherwise} {...state(issue)}>
        <Table size="small" aria-label={r.label}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{r.code}</TableHeaderCell>
              <TableHeaderCell>{r.result}</TableHeaderCell>
              <TableHeaderCell>{r.reboot}</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {codes.map((c, i) => (
              <TableRow key={i}>
                <TableCell>
                  <CodeInput value={c.code} label={`${r.code} ${i + 1}`} onChange={(code) => onChange(changeReturnCode(codes, i, { code }))} />
                </TableCell>
                <TableCell>
                  <Dropdown
                    className={styles.cellDropdown}
                    aria-label={`${r.result} ${i + 1}`}
                    value={r[c.result]}
                    selectedOptions={[c.result]}
                    onOptionSelect={(_, d) => onChange(changeReturnCode(codes, i, { result: (d.optionValue as ReturnCodeResult) ?? c.result }))}
                  >
                    {RESULTS.map((v) => (
                      <Option key={v} value={v}>
                        {r[v]}
                      </Option>
                    ))}
                  </Dropdown>
                </TableCell>
                <TableCell>
                  <Checkbox aria-label={`${r.reboot} ${i + 1}`} checked={c.reboot} onChange={(_, d) => onChange(changeReturnCode(codes, i, { reboot: d.checked === true }))} />
                </TableCell>
                <TableCell>
                  <Button appearance="subtle" icon={<DeleteRegular />} aria-label={`${r.remove} ${c.code}`} onClick={() => onChange(removeReturnCode(codes, i))} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Field>
      <div>
        <Button icon={<AddRegular />} onClick={() => onChange(addReturnCode(codes))}>
          {r.add}
        </Button>
      </div>
    </div>
  );
}

/** A code as typed: kept as text while it is not a number yet, sent once it is. */
function CodeInput({ value, label, onChange }: { value: number; label: string; onChange(code: number): void }) {
  const styles = useStyles();
  const [text, setText] = useState(String(value));
  useEffect(() => setText((t) => (parseCode(t) === value ? t : String(value))), [value]);
  return (
    <Input
      className={styles.codeInput}
      aria-label={label}
      value={text}
      onChange={(_, d) => {
        setText(d.value);
        const code = parseCode(d.value);
        if (code !== null) onChange(code);
      }}
    />
  );
}
