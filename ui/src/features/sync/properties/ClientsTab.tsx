// The Clients tab of Software Update Point Properties: whether Windows Update Agents are
// served, on which ports, whether SSL is required, and the certificate and key (full paths
// on the site's machine). Warns when clients would connect over plain HTTP.
import { Checkbox, Field, Input, MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { servesPlainHttp, type ClientsErrors, type ClientsForm } from "../clientsForm";
import { strings } from "../strings";

const t = strings.properties.clients;

const useStyles = makeStyles({
  tab: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "760px" },
  intro: { color: tokens.colorNeutralForeground2 },
  ports: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL },
  port: { width: "240px" },
  path: { maxWidth: "560px" },
});

export interface ClientsTabProps {
  form: ClientsForm;
  errors: ClientsErrors;
  onChange(patch: Partial<ClientsForm>): void;
}

export function ClientsTab({ form, errors, onChange }: ClientsTabProps) {
  const styles = useStyles();
  return (
    <div className={styles.tab}>
      <Text className={styles.intro}>{t.intro}</Text>
      <Checkbox label={t.enable} checked={form.enabled} onChange={(_, d) => onChange({ enabled: d.checked === true })} />
      {!form.enabled && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t.disabledNote}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.ports}>
        <Field label={t.httpPort} className={styles.port} hint={t.httpPortHint} validationMessage={errors.httpPort}>
          <Input inputMode="numeric" value={form.httpPort} onChange={(_, d) => onChange({ httpPort: d.value })} />
        </Field>
        <Field label={t.httpsPort} className={styles.port} hint={t.httpsPortHint} validationMessage={errors.httpsPort}>
          <Input inputMode="numeric" value={form.httpsPort} onChange={(_, d) => onChange({ httpsPort: d.value })} />
        </Field>
      </div>
      <Field validationMessage={errors.requireSsl}>
        <Checkbox label={t.requireSsl} checked={form.requireSsl} onChange={(_, d) => onChange({ requireSsl: d.checked === true })} />
      </Field>
      {servesPlainHttp(form) && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t.plainHttpWarning(form.httpPort.trim())}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={t.certificateFile} className={styles.path} hint={t.certificateFileHint} validationMessage={errors.certificateFile}>
        <Input value={form.certificateFile} onChange={(_, d) => onChange({ certificateFile: d.value })} />
      </Field>
      <Field label={t.privateKeyFile} className={styles.path} hint={t.privateKeyFileHint} validationMessage={errors.privateKeyFile}>
        <Input value={form.privateKeyFile} onChange={(_, d) => onChange({ privateKeyFile: d.value })} />
      </Field>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{t.restartNote}</MessageBarBody>
      </MessageBar>
    </div>
  );
}
