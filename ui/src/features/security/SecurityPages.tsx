// Administration › Security: Administrative Users (create, edit role, scope and password,
// disable; personal tokens created, shown once, and revoked) and Security Roles (the
// built-in ones, and roles composed from permissions).
import { useCallback, useEffect, useState } from "react";
import { Button, Checkbox, Dropdown, Field, Input, Option, Text, Textarea } from "@fluentui/react-components";
import { AddRegular, EditRegular, KeyRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type Administrator, type ApiTokenInfo, type Permission, type SecurityRole } from "../../api";
import type { Command } from "../../components/CommandBar/CommandBar";
import type { DataGridColumn } from "../../components/DataGrid";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { ItemListPage } from "../../components/ItemListPage";
import { OkCancelDialog } from "../../components/OkCancelDialog";
import { refreshCommand, rowCommand } from "../../components/rowCommands";
import { useDialogAction } from "../../components/useDialogAction";
import { useListPage } from "../../components/useListPage";
import { useOverlay } from "../../components/useOverlay";
import { strings } from "./strings";

const u = strings.users;
const r = strings.roles;
const ALL_PERMISSIONS: Permission[] = [
  "ReadSite", "Sync", "Library", "Approve", "Deploy", "Content", "Rules", "Computers", "SiteSettings", "Security",
];

interface Group {
  id: number;
  path: string;
}

function useGroups(): Group[] {
  const [groups, setGroups] = useState<Group[]>([]);
  useEffect(() => {
    call("list_target_groups", {}).then((g) => setGroups(g.map((x) => ({ id: x.id, path: x.path }))), () => undefined);
  }, []);
  return groups;
}

function useRoles(): SecurityRole[] {
  const [roles, setRoles] = useState<SecurityRole[]>([]);
  useEffect(() => {
    call("list_roles", {}).then(setRoles, () => undefined);
  }, []);
  return roles;
}

const readAdmins = () => call("list_admins", {});

export function AdministrativeUsersPage() {
  const page = useListPage<Administrator>(readAdmins);
  const groups = useGroups();
  const editing = useOverlay<{ admin?: Administrator }>(page.load);
  const tokening = useOverlay<Administrator>(page.load);
  const scopeText = (a: Administrator) =>
    a.scope.length === 0 ? u.wholeSite : a.scope.map((id) => groups.find((g) => g.id === id)?.path ?? `#${id}`).join(", ");
  const columns: DataGridColumn<Administrator>[] = [
    { id: "name", header: u.columns.name, width: 200, render: (a) => a.name, title: (a) => a.name },
    { id: "role", header: u.columns.role, width: 200, render: (a) => a.role },
    { id: "scope", header: u.columns.scope, width: 260, render: scopeText, title: scopeText },
    { id: "state", header: u.columns.state, width: 90, render: (a) => (a.disabled ? u.disabled : u.enabled) },
    { id: "modified", header: u.columns.modified, width: 160, render: (a) => formatUtc(a.modifiedUtc) },
  ];
  const group = "user";
  const commands: Command[] = [
    { id: "addUser", needs: "create_admin", label: u.add, icon: <AddRegular />, group: "create", run: () => editing.open({}) },
    rowCommand(page, { id: "editUser", needs: "update_admin", label: u.edit, icon: <EditRegular />, group, run: (admin) => editing.open({ admin }) }),
    rowCommand(page, { id: "createToken", needs: "create_token", label: u.newToken, icon: <KeyRegular />, group, run: tokening.open }),
    refreshCommand(u.refresh, page),
  ];
  return (
    <ItemListPage
      page={page}
      parts={{ texts: u, common: strings, columns }}
      commands={commands}
      onActivate={(admin) => editing.open({ admin })}
      overlays={
        <>
          {editing.value && <AdminDialog admin={editing.value.admin} groups={groups} onClose={editing.close} />}
          {tokening.value && <TokenDialog admin={tokening.value} onClose={tokening.close} />}
        </>
      }
    />
  );
}

function AdminDialog({ admin, groups, onClose }: { admin?: Administrator; groups: Group[]; onClose(done?: Administrator): void }) {
  const roles = useRoles();
  const [name, setName] = useState(admin?.name ?? "");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState(admin?.role ?? "Read-only Analyst");
  const [scope, setScope] = useState<number[]>(admin?.scope ?? []);
  const [disabled, setDisabled] = useState(admin?.disabled ?? false);
  const action = useDialogAction<Administrator>(onClose);
  const save = () =>
    admin
      ? call("update_admin", {
          id: admin.id,
          role,
          scope,
          disabled,
          password: password ? password : null,
        })
      : call("create_admin", { name: name.trim(), password, role, scope });
  return (
    <OkCancelDialog
      title={admin ? u.editTitle(admin.name) : u.createTitle}
      action={action}
      texts={strings}
      okDisabled={admin ? false : !name.trim() || password.length < 12}
      onOk={() => void action.run(save)}
      onClose={onClose}
    >
      {!admin && (
        <Field label={u.name} required>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
      )}
      <Field label={admin ? u.newPassword : u.password} hint={u.passwordHint} required={!admin}>
        <Input type="password" autoComplete="new-password" value={password} onChange={(_, d) => setPassword(d.value)} />
      </Field>
      <Field label={u.role}>
        <Dropdown value={role} selectedOptions={[role]} onOptionSelect={(_, d) => d.optionValue && setRole(d.optionValue)}>
          {roles.map((x) => (
            <Option key={x.id} value={x.name}>
              {x.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      {/* Not a Field: a Field gives its one control its id, so several checkboxes would share it. */}
      <div role="group" aria-label={u.scope}>
        <Text weight="semibold">{u.scope}</Text>
        {groups.map((g) => (
          <Checkbox
            key={g.id}
            label={g.path}
            checked={scope.includes(g.id)}
            onChange={(_, v) => setScope((s) => (v.checked === true ? [...s, g.id] : s.filter((x) => x !== g.id)))}
          />
        ))}
      </div>
      {admin && <Checkbox label={u.disable} checked={disabled} onChange={(_, v) => setDisabled(v.checked === true)} />}
      {admin && <AdminTokens admin={admin} />}
    </OkCancelDialog>
  );
}

function AdminTokens({ admin }: { admin: Administrator }) {
  const [tokens, setTokens] = useState<ApiTokenInfo[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(() => {
    call("list_tokens", {}).then((t) => setTokens(t.filter((x) => x.admin === admin.name)), () => undefined);
  }, [admin.name]);
  useEffect(load, [load]);
  const revoke = (id: number) =>
    call("revoke_token", { id }).then(load, (e: unknown) => setFailure(toApiFailure(e).message));
  return (
    <div role="group" aria-label={u.tokens}>
      <Text weight="semibold">{u.tokens}</Text>
      {failure && <ErrorBar title={strings.actionFailed} message={failure} />}
      {tokens.length === 0 && <Text>{u.noTokens}</Text>}
      {tokens.map((t) => (
        <div key={t.id}>
          <Text>
            {t.name} ({t.revokedUtc ? u.revoked(formatUtc(t.revokedUtc)) : u.expires(formatUtc(t.expiresUtc))}){" "}
          </Text>
          {!t.revokedUtc && (
            <Button size="small" onClick={() => void revoke(t.id)}>
              {u.revoke}
            </Button>
          )}
        </div>
      ))}
    </div>
  );
}

function TokenDialog({ admin, onClose }: { admin: Administrator; onClose(): void }) {
  const [name, setName] = useState("script");
  const [days, setDays] = useState("90");
  const [made, setMade] = useState<string | null>(null);
  const action = useDialogAction<unknown>(() => undefined);
  return (
    <OkCancelDialog
      title={u.tokenTitle}
      action={action}
      texts={strings}
      closeLabel={made ? strings.close : undefined}
      okDisabled={!name.trim()}
      onOk={() =>
        void action.run(async () => {
          const t = await call("create_token", { name: name.trim(), days: Number(days) || 0, adminId: admin.id });
          setMade(t.token);
          return t;
        })
      }
      onClose={onClose}
    >
      {made ? (
        <>
          <Text>{u.tokenShown}</Text>
          <Input readOnly value={made} aria-label={u.tokenTitle} />
        </>
      ) : (
        <>
          <Field label={u.tokenName} required>
            <Input value={name} onChange={(_, d) => setName(d.value)} />
          </Field>
          <Field label={u.tokenDays}>
            <Input type="number" value={days} onChange={(_, d) => setDays(d.value)} />
          </Field>
        </>
      )}
    </OkCancelDialog>
  );
}

const readRoles = () => call("list_roles", {});

export function SecurityRolesPage() {
  const page = useListPage<SecurityRole>(readRoles);
  const composing = useOverlay<boolean>(page.load);
  const permissionsText = (x: SecurityRole) => x.permissions.join(", ");
  const columns: DataGridColumn<SecurityRole>[] = [
    { id: "name", header: r.columns.name, width: 220, render: (x) => x.name, title: (x) => x.name },
    { id: "type", header: r.columns.builtIn, width: 90, render: (x) => (x.builtIn ? r.builtIn : r.custom) },
    { id: "permissions", header: r.columns.permissions, width: 380, render: permissionsText, title: permissionsText },
    { id: "description", header: r.columns.description, width: 300, render: (x) => x.description, title: (x) => x.description },
  ];
  const commands: Command[] = [
    { id: "composeRole", needs: "create_role", label: r.compose, icon: <AddRegular />, group: "create", run: () => composing.open(true) },
    refreshCommand(r.refresh, page),
  ];
  return (
    <ItemListPage
      page={page}
      parts={{ texts: r, common: strings, columns }}
      commands={commands}
      overlays={composing.value && <ComposeRoleDialog onClose={composing.close} />}
    />
  );
}

function ComposeRoleDialog({ onClose }: { onClose(done?: SecurityRole): void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [permissions, setPermissions] = useState<Permission[]>(["ReadSite"]);
  const action = useDialogAction<SecurityRole>(onClose);
  return (
    <OkCancelDialog
      title={r.composeTitle}
      action={action}
      texts={strings}
      okDisabled={!name.trim() || permissions.length === 0}
      onOk={() => void action.run(() => call("create_role", { name: name.trim(), description, permissions }))}
      onClose={onClose}
    >
      <Field label={r.name} required>
        <Input value={name} onChange={(_, d) => setName(d.value)} />
      </Field>
      <Field label={r.description}>
        <Textarea value={description} onChange={(_, d) => setDescription(d.value)} />
      </Field>
      <div role="group" aria-label={r.permissions}>
        <Text weight="semibold">{r.permissions}</Text>
        {ALL_PERMISSIONS.map((p) => (
          <Checkbox
            key={p}
            label={p}
            checked={permissions.includes(p)}
            onChange={(_, v) => setPermissions((s) => (v.checked === true ? [...s, p] : s.filter((x) => x !== p)))}
          />
        ))}
      </div>
    </OkCancelDialog>
  );
}
