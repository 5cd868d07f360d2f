// Add Operating System Image Wizard and Add Operating System Upgrade Package Wizard (OSP-1,
// seeds 003 and 004): Data Source (the .wim file, or the setup folder; the site reads it with
// wimlib on Next, and a refusal (not absolute, not a WIM, damaged, no setup.exe) is shown
// under the path) → General (name, version, comment) → Summary → Progress → Completion.
// Cancel sends nothing that changes the site: reading the source records nothing, and a file
// uploaded from the browser (ImageUpload) is removed again. In the desktop app Browse… opens
// the OS picker (the site is on this computer); a browser cannot give a path there, so it
// uploads instead.
import { useEffect, useRef, useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, Text, Textarea } from "@fluentui/react-components";
import { FolderOpenRegular } from "@fluentui/react-icons";
import { call, toApiFailure, transportKind } from "../../api";
import { pickFolderPath, pickOpenPath } from "../../api/desktop";
import { ErrorBar } from "../../components/ErrorBar";
import { PlainTable } from "../../components/PlainTable";
import { useUpload } from "../../components/useUpload";
import { WizardFrame, type WizardCheck, type WizardIssue, type WizardPage } from "../../components/WizardFrame";
import { wizardBar } from "../../components/wizardStrings";
import { ImageUpload } from "./ImageUpload";
import { indexColumns } from "./columns";
import {
  addCall,
  emptyForm,
  generalIssues,
  issueOfRefusal,
  pageOfField,
  sourceIssues,
  summaryLines,
  type OsImageForm,
} from "./model";
import { strings } from "./strings";
import type { OsImage, OsImageDetails, OsImageInspection, OsImageKind } from "./types";

const w = strings.wizard;

const state = (message: string | undefined) => (message ? { validationState: "error" as const, validationMessage: message } : {});

export interface AddOsImageWizardProps {
  kind: OsImageKind;
  /** The items listed now: a name already taken is refused on the General page. */
  existing: readonly OsImage[];
  /** With what was added after Close; nothing after Cancel. */
  onClose(added?: OsImageDetails): void;
}

export function AddOsImageWizard({ kind, existing, onClose }: AddOsImageWizardProps) {
  const t = w[kind];
  const [form, setForm] = useState<OsImageForm>(emptyForm);
  const [inspection, setInspection] = useState<OsImageInspection | null>(null);
  const inspected = useRef<{ path: string; answer: Promise<OsImageInspection> } | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const change = (patch: Partial<OsImageForm>) => setForm((f) => ({ ...f, ...patch }));
  const desktop = transportKind === "tauri";
  const [pickFailure, setPickFailure] = useState<string | null>(null);
  /** The browser upload the path names, removed on Cancel or when another file replaces it. */
  const upload = useRef<string | null>(null);
  const transfer = useUpload("OsImage");
  const dropUpload = () => {
    if (upload.current) void call("cancel_upload", { uploadId: upload.current }).catch(() => undefined);
    upload.current = null;
  };

  const browse = async () => {
    setPickFailure(null);
    try {
      const chosen = kind === "Image" ? await pickOpenPath(w.browseTitle.Image, w.imageKind) : await pickFolderPath(w.browseTitle.UpgradePackage);
      // Cancel in the OS dialog leaves the path as it was.
      if (chosen) change({ path: chosen });
    } catch (e) {
      setPickFailure(w.pickerFailed(toApiFailure(e).message));
    }
  };

  /** Reads the source on the site (once per path); a refusal goes under the path. */
  const sourceCheck = async (check: WizardCheck): Promise<WizardIssue[]> => {
    const own = sourceIssues(kind, form);
    if (own.length) return own;
    const path = form.path.trim();
    if (inspected.current?.path !== path) {
      setInspection(null);
      inspected.current = { path, answer: call("inspect_os_image", { kind, path }) };
    }
    const asked = inspected.current;
    try {
      const found = await check.once(`inspect:${path}`, () => asked.answer);
      if (mounted.current) setInspection(found);
      return [];
    } catch (e) {
      // Asked again at the next Next: the file may have been mended meanwhile.
      if (inspected.current === asked) inspected.current = null;
      return [issueOfRefusal(toApiFailure(e))];
    }
  };

  const byField = (issues: readonly WizardIssue[]) => Object.fromEntries(issues.map((i) => [i.field, i.message]));
  const lines = () => summaryLines(kind, form, inspection);

  const pages: WizardPage[] = [
    {
      id: "source",
      label: w.pages.source,
      heading: t.headings.source,
      render: (issues) => {
        const i = byField(issues);
        return (
          <>
            <Field label={t.path} hint={t.pathHint} required {...state(i.path ?? i[""] ?? pickFailure ?? undefined)}>
              <Input
                value={form.path}
                onChange={(_, d) => change({ path: d.value })}
                data-testid="os-image-path"
                contentAfter={
                  desktop ? (
                    <Button appearance="transparent" size="small" icon={<FolderOpenRegular />} onClick={() => void browse()}>
                      {w.browse}
                    </Button>
                  ) : undefined
                }
              />
            </Field>
            {!desktop && kind === "Image" && (
              <ImageUpload
                transfer={transfer}
                onUploaded={(uploadId, path) => {
                  dropUpload();
                  upload.current = uploadId;
                  change({ path });
                }}
              />
            )}
            {inspection && inspected.current?.path === form.path.trim() && (
              <>
                <Text>{w.found(inspection.indexes.length)}</Text>
                <PlainTable ariaLabel={strings.details.indexes} columns={indexColumns} rows={inspection.indexes} rowKey={(r) => r.index} />
              </>
            )}
          </>
        );
      },
      validate: sourceCheck,
      summary: () => lines().filter((l) => l.page === "source"),
    },
    {
      id: "general",
      label: w.pages.general,
      heading: t.headings.general,
      render: (issues) => {
        const i = byField(issues);
        return (
          <>
            <Field label={w.name} hint={kind === "Image" ? w.nameHint : undefined} required={kind === "UpgradePackage"} {...state(i.name)}>
              <Input
                value={form.name}
                placeholder={kind === "Image" ? inspection?.indexes[0]?.name : undefined}
                onChange={(_, d) => change({ name: d.value })}
                data-testid="os-image-name"
              />
            </Field>
            <Field label={w.version} {...state(i.version)}>
              <Input value={form.version} onChange={(_, d) => change({ version: d.value })} />
            </Field>
            <Field label={w.comment}>
              <Textarea value={form.comment} onChange={(_, d) => change({ comment: d.value })} resize="vertical" />
            </Field>
          </>
        );
      },
      validate: () => generalIssues(kind, form, inspection, existing),
      summary: () => lines().filter((l) => l.page === "general"),
    },
  ];

  const run = async (): Promise<OsImageDetails> => {
    const add = addCall(kind, form);
    return add.command === "add_os_image" ? call(add.command, add.args) : call(add.command, add.args);
  };

  return (
    <WizardFrame<OsImageDetails>
      testId="os-image-wizard"
      title={t.title}
      texts={{ ...wizardBar, pages: w.pages, running: w.running, checking: w.checking, checkFailed: w.checkFailed }}
      pages={pages}
      pageOfIssue={(issue) => pageOfField(issue.field)}
      value={form}
      summary={{ heading: t.headings.summary }}
      run={run}
      progress={{ heading: t.headings.progress }}
      completion={{
        heading: (o) => (o.ok ? t.headings.completion : t.headings.completionFailed),
        body: (o) =>
          o.ok ? (
            <>
              <MessageBar intent="success" layout="multiline">
                <MessageBarBody data-testid="os-image-added">
                  {t.added(o.value.image.name, o.value.indexes.length, o.value.image.updateCount)}
                </MessageBarBody>
              </MessageBar>
              <PlainTable ariaLabel={strings.details.indexes} columns={indexColumns} rows={o.value.indexes} rowKey={(r) => r.index} />
            </>
          ) : (
            <ErrorBar title={w.failed} message={o.failure.message} />
          ),
      }}
      onClose={(added) => {
        // Added: the site moved the file into its image folder and the upload is gone.
        if (added) return onClose(added);
        // A file still being sent is stopped: the upload then removes itself on the site.
        transfer.stop();
        dropUpload();
        onClose();
      }}
    />
  );
}
