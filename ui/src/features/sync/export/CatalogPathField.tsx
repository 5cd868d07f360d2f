// The path of a catalog export file. In the desktop app the site runs inside the app, so the
// file is on this computer and the OS Save / Open dialog can choose it. In a browser the site
// reads and writes the file on its own machine, which a browser's file picker cannot reach
// (the site's API takes a path, not an upload), so the field says whose machine the path is on.
import { useState } from "react";
import { Button, Field, Input } from "@fluentui/react-components";
import { FolderOpenRegular } from "@fluentui/react-icons";
import { toApiFailure, transportKind } from "../../../api";
import { pickOpenPath, pickSavePath } from "../../../api/desktop";
import { strings } from "./strings";

/** "save": Export Catalog asks where to write; "open": an import asks for an existing file. */
export type PickerMode = "save" | "open";

export function CatalogPathField(props: {
  mode: PickerMode;
  value: string;
  onChange(path: string): void;
  /** Shown under the field when the path is wrong (the caller decides when). */
  problem?: string | null;
  hint?: string;
  disabled?: boolean;
  placeholder?: string;
  onEnter?(): void;
  className?: string;
}) {
  const desktop = transportKind === "tauri";
  const [pickFailure, setPickFailure] = useState<string | null>(null);
  const message = props.problem ?? pickFailure;

  const browse = async () => {
    setPickFailure(null);
    try {
      const chosen =
        props.mode === "save"
          ? await pickSavePath(strings.saveTitle, strings.fileKind, props.value.trim() || strings.defaultFileName)
          : await pickOpenPath(strings.openTitle, strings.fileKind);
      // Cancel in the OS dialog leaves the field as it was.
      if (chosen) props.onChange(chosen);
    } catch (e) {
      setPickFailure(strings.pickerFailed(toApiFailure(e).message));
    }
  };

  return (
    <Field
      className={props.className}
      label={desktop ? strings.path : strings.sitePath}
      hint={props.hint}
      required
      validationState={message ? "error" : "none"}
      validationMessage={message ?? undefined}
    >
      <Input
        value={props.value}
        placeholder={props.placeholder ?? (desktop ? undefined : strings.pathPlaceholder)}
        disabled={props.disabled}
        onChange={(_, d) => props.onChange(d.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !props.disabled) props.onEnter?.();
        }}
        contentAfter={
          desktop ? (
            <Button appearance="transparent" size="small" icon={<FolderOpenRegular />} disabled={props.disabled} onClick={() => void browse()}>
              {strings.browse}
            </Button>
          ) : undefined
        }
      />
    </Field>
  );
}
