// Import Publishing Certificate (issue 16, point 4): a .pfx with its private key and the
// password it was exported with becomes the site's publishing certificate. The site reads
// it; a wrong password or a file that is not a PFX is refused by name and shown here.
import { useState } from "react";
import { Field, Input } from "@fluentui/react-components";
import { call } from "../../api";
import { OkCancelDialog } from "../../components/OkCancelDialog";
import { useDialogAction } from "../../components/useDialogAction";
import { strings } from "./strings";

const t = strings.certificate;

/** The file's bytes as base64, for the JSON command. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function CertificateDialog({ onClose }: { onClose(done?: unknown): void }) {
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState("");
  const action = useDialogAction<unknown>(onClose);
  return (
    <OkCancelDialog
      title={t.title}
      action={action}
      texts={t}
      onOk={() =>
        void action.run(async () =>
          file ? call("import_publishing_certificate", { fileName: file.name, pfxBase64: await base64Of(file), password }) : Promise.reject(new Error(t.file)),
        )
      }
      onClose={onClose}
    >
      <Field label={t.file} hint={t.fileHint} required>
        <input type="file" accept=".pfx,.p12" aria-label={t.file} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      <Field label={t.password}>
        <Input type="password" value={password} onChange={(_, d) => setPassword(d.value)} />
      </Field>
    </OkCancelDialog>
  );
}
