// The library commands of All Software Updates on the selection (LIB-4, GRP-1, APR-2):
// Create Software Update Group, Add to Software Update Group, Approve (the Approve Updates
// wizard) and Decline (after a Yes/No). Returns the commands, the bar that reports results
// and the open dialog, so the page only places them.
import { useEffect, useState, type ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Option,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  AddSquareMultipleRegular,
  CheckmarkCircleRegular,
  DismissRegular,
  GroupListRegular,
  ProhibitedRegular,
} from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type Commands } from "../../../api";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { selectedCount, type Selection } from "../../../components/DataGrid";
import { ErrorBar } from "../../../components/ErrorBar";
import { ApproveWizard } from "../../approvals/ApproveWizard";
import { strings } from "../strings";
import { collectSelectedRows, type RowRef } from "./selectedRows";

const l = strings.library;
type UpdateGroupInfo = Commands["list_update_groups"]["result"][number];
type Kind = "createGroup" | "addToGroup" | "approve" | "decline";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function useLibraryCommands(props: {
  selection: Selection;
  getRow(index: number): RowRef | undefined;
  fetchPage(offset: number, limit: number): Promise<{ rows: readonly RowRef[] }>;
  /** After a change that alters the list (decline, approve): reload it. */
  onChanged(): void;
}): { commands: Command[]; bar: ReactNode; dialog: ReactNode } {
  const { selection, getRow, fetchPage, onChanged } = props;
  const count = selectedCount(selection);
  const [open, setOpen] = useState<{ kind: Kind; rows: RowRef[] } | null>(null);
  const [collecting, setCollecting] = useState(false);
  const [failure, setFailure] = useState<{ title: string; failure: ApiFailure } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const start = async (kind: Kind) => {
    setFailure(null);
    setNotice(null);
    setCollecting(true);
    try {
      const rows = await collectSelectedRows(selection, getRow, fetchPage);
      if (rows.length > 0) setOpen({ kind, rows });
    } catch (e) {
      setFailure({ title: l.collectFailed, failure: toApiFailure(e) });
    } finally {
      setCollecting(false);
    }
  };

  const c = strings.commands;
  const none = count === 0 || collecting;
  const commands: Command[] = [
    {
      id: "createUpdateGroup",
      needs: "create_update_group",
      label: c.createGroup,
      description: c.createGroupHint,
      icon: <GroupListRegular />,
      group: "library",
      disabled: none,
      run: () => void start("createGroup"),
    },
    {
      id: "addToUpdateGroup",
      needs: "edit_update_group",
      label: c.addToGroup,
      description: c.addToGroupHint,
      icon: <AddSquareMultipleRegular />,
      group: "library",
      disabled: none,
      run: () => void start("addToGroup"),
    },
    {
      id: "approve",
      needs: "approve_updates",
      label: c.approve,
      description: c.approveHint,
      icon: <CheckmarkCircleRegular />,
      group: "library",
      disabled: none,
      run: () => void start("approve"),
    },
    {
      id: "decline",
      needs: "decline_updates",
      label: c.decline,
      description: c.declineHint,
      icon: <ProhibitedRegular />,
      group: "library",
      disabled: none,
      run: () => void start("decline"),
    },
  ];

  const done = (message: string | null, changed: boolean) => {
    setOpen(null);
    if (message) setNotice(message);
    if (changed) onChanged();
  };

  const bar = (
    <>
      {collecting && <Spinner size="tiny" label={l.collecting} labelPosition="after" />}
      {failure && (
        <ErrorBar
          title={failure.title}
          message={failure.failure.message}
          onDismiss={() => setFailure(null)}
          dismissLabel={strings.dismiss}
        />
      )}
      {notice && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{notice}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button appearance="transparent" aria-label={strings.dismiss} icon={<DismissRegular />} onClick={() => setNotice(null)} />
            }
          />
        </MessageBar>
      )}
    </>
  );

  let dialog: ReactNode = null;
  if (open?.kind === "createGroup") dialog = <CreateGroupDialog rows={open.rows} onClose={done} />;
  if (open?.kind === "addToGroup") dialog = <AddToGroupDialog rows={open.rows} onClose={done} />;
  if (open?.kind === "decline") dialog = <DeclineDialog rows={open.rows} onClose={done} />;
  if (open?.kind === "approve")
    dialog = (
      <ApproveWizard
        updateIds={open.rows.map((r) => r.updateId)}
        titles={open.rows.map((r) => r.title)}
        onClose={(saved) => done(null, saved)}
      />
    );
  return { commands, bar, dialog };
}

type Close = (message: string | null, changed: boolean) => void;

function Frame(props: { title: string; onClose(): void; children: ReactNode; actions: ReactNode }) {
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.children}</DialogContent>
          <DialogActions>{props.actions}</DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function CreateGroupDialog({ rows, onClose }: { rows: RowRef[]; onClose: Close }) {
  const styles = useStyles();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const empty = name.trim() === "";
  const create = async () => {
    setTouched(true);
    if (empty) return;
    setBusy(true);
    setFailure(null);
    try {
      const g = await call("create_update_group", { name: name.trim(), description, updateIds: rows.map((r) => r.updateId) });
      onClose(l.created(g.name, g.memberCount), false);
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Frame
      title={l.createGroupTitle(rows.length)}
      onClose={() => onClose(null, false)}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={create}>
            {l.create}
          </Button>
          <Button onClick={() => onClose(null, false)}>{l.cancel}</Button>
        </>
      }
    >
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <Field
          label={l.name}
          required
          validationState={touched && empty ? "error" : "none"}
          validationMessage={touched && empty ? l.nameRequired : undefined}
        >
          <Input value={name} autoFocus onChange={(_, d) => setName(d.value)} />
        </Field>
        <Field label={l.description}>
          <Textarea value={description} onChange={(_, d) => setDescription(d.value)} resize="vertical" />
        </Field>
        {failure && <ErrorBar title={l.failed} message={failure.message} />}
        <button type="submit" hidden />
      </form>
    </Frame>
  );
}

function AddToGroupDialog({ rows, onClose }: { rows: RowRef[]; onClose: Close }) {
  const styles = useStyles();
  const [groups, setGroups] = useState<UpdateGroupInfo[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | null>(null);
  const [picked, setPicked] = useState<UpdateGroupInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    let live = true;
    call("list_update_groups", {}).then(
      (list) => live && setGroups([...list].sort((a, b) => a.name.localeCompare(b.name))),
      (e: unknown) => {
        if (!live) return;
        setGroups([]);
        setLoadFailure(toApiFailure(e));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const add = async () => {
    if (!picked) return;
    setBusy(true);
    setFailure(null);
    try {
      const g = await call("edit_update_group", {
        id: picked.id,
        name: null,
        description: null,
        add: rows.map((r) => r.updateId),
        remove: [],
      });
      onClose(l.added(g.name, rows.length), false);
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Frame
      title={l.addToGroupTitle(rows.length)}
      onClose={() => onClose(null, false)}
      actions={
        <>
          <Button appearance="primary" disabled={busy || !picked} onClick={add}>
            {l.add}
          </Button>
          <Button onClick={() => onClose(null, false)}>{l.cancel}</Button>
        </>
      }
    >
      <div className={styles.form}>
        {groups === null && <Spinner size="tiny" />}
        {loadFailure && <ErrorBar title={l.groupsFailed} message={loadFailure.message} />}
        {groups !== null && groups.length === 0 && !loadFailure && <Text>{l.noGroups}</Text>}
        {groups !== null && groups.length > 0 && (
          <Field label={l.group} required>
            <Dropdown
              aria-label={l.group}
              placeholder={l.chooseGroup}
              value={picked?.name ?? ""}
              selectedOptions={picked ? [String(picked.id)] : []}
              onOptionSelect={(_, d) => setPicked(groups.find((g) => String(g.id) === d.optionValue) ?? null)}
            >
              {groups.map((g) => (
                <Option key={g.id} value={String(g.id)} text={g.name}>
                  {`${g.name} (${g.memberCount})`}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        {failure && <ErrorBar title={l.failed} message={failure.message} />}
      </div>
    </Frame>
  );
}

function DeclineDialog({ rows, onClose }: { rows: RowRef[]; onClose: Close }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const decline = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await call("decline_updates", { updateIds: rows.map((x) => x.updateId) });
      onClose(l.declined(r.declined, r.alreadyDeclined, r.approvalsRemoved), true);
    } catch (e) {
      setFailure(toApiFailure(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Frame
      title={l.declineTitle}
      onClose={() => onClose(null, false)}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={decline}>
            {l.yes}
          </Button>
          <Button disabled={busy} onClick={() => onClose(null, false)}>
            {l.no}
          </Button>
        </>
      }
    >
      <Text as="p">{l.declineConfirm(rows.length)}</Text>
      {busy && <Spinner size="tiny" />}
      {failure && <ErrorBar title={l.declineFailed} message={failure.message} />}
    </Frame>
  );
}
