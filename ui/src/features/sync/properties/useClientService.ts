// The Clients tab's state in Software Update Point Properties: the stored client service
// settings, the form over them, and the problems to show on its fields (the form's own
// checks, then the site's validate_client_service_settings issues, which stay until the form
// changes). The dialog saves it beside the synchronization settings.
import { useEffect, useMemo, useState } from "react";
import { ApiFailure, call, toApiFailure } from "../../../api";
import {
  clientsFormFromSettings,
  clientsSettingsFromForm,
  errorsFromIssues,
  isClientsDirty,
  validateClientsForm,
  type ClientServiceSettings,
  type ClientsErrors,
  type ClientsForm,
} from "../clientsForm";

export interface ClientService {
  form: ClientsForm | null;
  loadFailure: ApiFailure | null;
  /** What to show on the fields: the form's own errors, else the site's issues. */
  errors: ClientsErrors;
  /** The form's own errors (a port that is not a port): nothing is sent while there are any. */
  hasFormErrors: boolean;
  dirty: boolean;
  change(patch: Partial<ClientsForm>): void;
  /** Asks the site; true when it would save the form as it is, false when its issues are now on the fields. */
  check(): Promise<boolean>;
  /** Saves the form (rejects with the site's refusal). */
  save(): Promise<void>;
}

export function useClientService(attempt: number): ClientService {
  const [stored, setStored] = useState<ClientServiceSettings | null>(null);
  const [form, setForm] = useState<ClientsForm | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [siteErrors, setSiteErrors] = useState<ClientsErrors>({});

  useEffect(() => {
    let live = true;
    setLoadFailure(null);
    call("get_client_service_settings", {}).then(
      (s) => {
        if (!live) return;
        setStored(s);
        setForm(clientsFormFromSettings(s));
      },
      (e: unknown) => live && setLoadFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const formErrors = useMemo(() => (form ? validateClientsForm(form) : {}), [form]);
  const hasFormErrors = Object.keys(formErrors).length > 0;
  const dirty = form !== null && stored !== null && isClientsDirty(form, stored);

  return {
    form,
    loadFailure,
    errors: { ...siteErrors, ...formErrors },
    hasFormErrors,
    dirty,
    change: (patch) => {
      setSiteErrors({});
      setForm((f) => (f ? { ...f, ...patch } : f));
    },
    check: async () => {
      if (!form) return false;
      const issues = await call("validate_client_service_settings", clientsSettingsFromForm(form));
      const errors = errorsFromIssues(issues);
      setSiteErrors(errors);
      // An issue of a field this tab does not show still stops the save, said above the tabs.
      if (issues.length > 0 && Object.keys(errors).length === 0) throw new ApiFailure({ code: "Validation", message: issues[0].message });
      return issues.length === 0;
    },
    save: async () => {
      if (!form) return;
      const saved = await call("set_client_service_settings", clientsSettingsFromForm(form));
      setStored(saved);
      setForm(clientsFormFromSettings(saved));
      setSiteErrors({});
    },
  };
}
