// The Clients tab of Software Update Point Properties as plain data: how Windows Update
// Agents reach the site (ClientServiceSettings), made from the stored settings, turned back
// into them, compared for "dirty", and checked before sending. The site checks again,
// certificate and key included, through validate_client_service_settings, whose issues name
// the field they belong to.
import type { Json } from "../../api";
import type { ClientServiceSettings as GClientServiceSettings } from "../../api/generated/ClientServiceSettings";
import type { FieldIssue as GFieldIssue } from "../../api/generated/FieldIssue";
import { wholeNumberIn } from "./settingsForm";
import { strings } from "./strings";

export type ClientServiceSettings = Json<GClientServiceSettings>;
export type FieldIssue = Json<GFieldIssue>;

export interface ClientsForm {
  enabled: boolean;
  /** As typed; a whole number 1..65535 when valid. */
  httpPort: string;
  httpsPort: string;
  requireSsl: boolean;
  certificateFile: string;
  privateKeyFile: string;
}

export type ClientsField = "httpPort" | "httpsPort" | "requireSsl" | "certificateFile" | "privateKeyFile";
export type ClientsErrors = Partial<Record<ClientsField, string>>;

const FIELDS: readonly ClientsField[] = ["httpPort", "httpsPort", "requireSsl", "certificateFile", "privateKeyFile"];

export function clientsFormFromSettings(s: ClientServiceSettings): ClientsForm {
  return {
    enabled: s.enabled,
    httpPort: String(s.httpPort),
    httpsPort: String(s.httpsPort),
    requireSsl: s.requireSsl,
    certificateFile: s.certificateFile,
    privateKeyFile: s.privateKeyFile,
  };
}

const portOf = (text: string): number | null => wholeNumberIn(text, 1, 65535);

/** What the site receives. Only meaningful when `validateClientsForm` found nothing. */
export function clientsSettingsFromForm(form: ClientsForm): ClientServiceSettings {
  return {
    enabled: form.enabled,
    httpPort: portOf(form.httpPort) ?? 0,
    httpsPort: portOf(form.httpsPort) ?? 0,
    requireSsl: form.requireSsl,
    certificateFile: form.certificateFile.trim(),
    privateKeyFile: form.privateKeyFile.trim(),
  };
}

export function isClientsDirty(form: ClientsForm, stored: ClientServiceSettings): boolean {
  const now = clientsSettingsFromForm(form);
  return (Object.keys(now) as (keyof ClientServiceSettings)[]).some((k) => now[k] !== stored[k]);
}

/** What a person can fix without asking the site: ports that are not ports. */
export function validateClientsForm(form: ClientsForm): ClientsErrors {
  const t = strings.properties.clients;
  const errors: ClientsErrors = {};
  if (portOf(form.httpPort) === null) errors.httpPort = t.portRange;
  if (portOf(form.httpsPort) === null) errors.httpsPort = t.portRange;
  return errors;
}

/** The site's issues by field (the first one of each); issues of fields this tab does not show are dropped. */
export function errorsFromIssues(issues: readonly FieldIssue[]): ClientsErrors {
  const errors: ClientsErrors = {};
  for (const i of issues) {
    const field = FIELDS.find((f) => f === i.field);
    if (field && !errors[field]) errors[field] = i.message;
  }
  return errors;
}

/** True when clients would reach the site over plain HTTP. */
export const servesPlainHttp = (form: ClientsForm): boolean => form.enabled && !form.requireSsl;
