// Create, rename, move and delete a target group, and add computers to one. Each dialog
// sends its one command and shows the site's refusal (e.g. "in use by 2 deployments") as is.
import { useEffect, useMemo, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  shorthands,
  tokens,
} from "@fluentui/react-components";
import { call } from "../../api";
import { ConfirmActionDialog } from "../../components/ConfirmDialog";
import { ErrorBar } from "../../components/ErrorBar";
import { FormDialog } from "../../components/FormDialog";
import { GroupTree } from "./GroupTree";
import { strings } from "./strings";
import { buildGroupTree, groupNameProblem, moveTargets } from "./tree";
import type { Computer, TargetGroup } from "./types";
import { useSubmit } from "./useSubmit";

const d = strings.targets.dialogs;

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  tree: {
    maxHeight: "320px",
    overflow: "auto",
    ...shorthands.border(tokens.strokeWidthThin, "solid", tokens.colorNeutralStroke2),
    padding: tokens.spacingVerticalXS,
  },
  list: { display: "flex", flexDirection: "column", maxHeight: "320px", overflow: "auto" },
});

/** Create (under `parent`) or rename/describe (`group`). */
export function GroupFormDialog(props: {
  groups: readonly TargetGroup[];
  parent: TargetGroup;
  group?: TargetGroup;
  onClose(): void;
  onDone(group: TargetGroup): void;
}) {
  const { groups, parent, group, onClose, onDone } = props;
  const styles = useStyles();
  const [name, setName] = useState(group?.name ?? "");
  const [description, setDescription] = useState(group?.description ?? "");
  const [touched, setTouched] = useState(false);
  const submit = useSubmit();
  const problem = groupNameProblem(groups, name, group ? group.parentId : parent.id, group?.id ?? null);

  const save = async () => {
    setTouched(true);
    if (problem) return;
    const result = await submit.run(() =>
      group
        ? call("update_target_group", { id: group.id, name: name.trim(), description, parentId: group.parentId })
        : call("create_target_group", { parentId: parent.id, name: name.trim(), description }),
    );
    if (result.ok) onDone(result.value);
  };

  return (
    <FormDialog
      title={group ? d.renameTitle(group.name) : d.createTitle(parent.path)}
      onClose={onClose}
      actions={
        <>
          <Button appearance="primary" disabled={submit.busy} onClick={save}>
            {group ? d.save : d.create}
          </Button>
          <Button onClick={onClose}>{d.cancel}</Button>
        </>
      }
    >
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field
          label={d.name}
          required
          validationState={touched && problem ? "error" : "none"}
          validationMessage={touched && problem ? d.problems[problem] : undefined}
        >
          <Input value={name} autoFocus onChange={(_, v) => setName(v.value)} onBlur={() => setTouched(true)} />
        </Field>
        <Field label={d.description}>
          <Textarea value={description} onChange={(_, v) => setDescription(v.value)} resize="vertical" />
        </Field>
        {submit.failure && <ErrorBar title={d.failed} message={submit.failure.message} />}
        {submit.busy && <Spinner size="tiny" />}
        <button type="submit" hidden />
      </form>
    </FormDialog>
  );
}

export function MoveGroupDialog(props: {
  groups: readonly TargetGroup[];
  group: TargetGroup;
  onClose(): void;
  onDone(group: TargetGroup): void;
}) {
  const { groups, group, onClose, onDone } = props;
  const styles = useStyles();
  const targets = useMemo(() => moveTargets(groups, group.id), [groups, group.id]);
  const tree = useMemo(() => buildGroupTree(targets), [targets]);
  const [parentId, setParentId] = useState<number | null>(group.parentId);
  const submit = useSubmit();
  const nameClash = parentId !== null ? groupNameProblem(groups, group.name, parentId, group.id) : null;

  const move = async () => {
    if (parentId === null || nameClash) return;
    const result = await submit.run(() =>
      call("update_target_group", { id: group.id, name: group.name, description: group.description, parentId }),
    );
    if (result.ok) onDone(result.value);
  };

  return (
    <FormDialog
      title={d.moveTitle(group.name)}
      onClose={onClose}
      actions={
        <>
          <Button
            appearance="primary"
            disabled={submit.busy || parentId === null || parentId === group.parentId || nameClash !== null}
            onClick={move}
          >
            {d.moveButton}
          </Button>
          <Button onClick={onClose}>{d.cancel}</Button>
        </>
      }
    >
      <div className={styles.form}>
        <Text>{d.moveIntro}</Text>
        <Field
          label={d.parent}
          validationState={nameClash ? "error" : "none"}
          validationMessage={nameClash ? d.problems[nameClash] : undefined}
        >
          <div className={styles.tree}>
            <GroupTree
              ariaLabel={d.parent}
              tree={tree}
              mode={{ kind: "select", selectedId: parentId, onSelect: setParentId }}
            />
          </div>
        </Field>
        {submit.failure && <ErrorBar title={d.failed} message={submit.failure.message} />}
      </div>
    </FormDialog>
  );
}

export function DeleteGroupDialog(props: { group: TargetGroup; onClose(): void; onDone(): void }) {
  const { group } = props;
  return (
    <ConfirmActionDialog
      title={d.deleteTitle(group.name)}
      question={d.deleteConfirm(group.path)}
      labels={{ yes: d.yes, no: d.no }}
      failureTitle={d.deleteFailed}
      run={() => call("delete_target_group", { id: group.id })}
      onClose={props.onClose}
      onDone={props.onDone}
    />
  );
}

export function AddMembersDialog(props: { group: TargetGroup; onClose(): void; onDone(): void }) {
  const { group, onClose, onDone } = props;
  const styles = useStyles();
  const [computers, setComputers] = useState<Computer[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(() => new Set());
  const load = useSubmit();
  const submit = useSubmit();
  const { run: runLoad } = load;

  useEffect(() => {
    void runLoad(() => call("list_computers", { groupId: null, includeSubgroups: false })).then((r) =>
      setComputers(r.ok ? r.value : []),
    );
  }, [runLoad]);

  const candidates = (computers ?? []).filter((c) => !c.groupIds.includes(group.id));
  const add = async () => {
    const result = await submit.run(() => call("add_group_members", { groupId: group.id, computerIds: [...chosen] }));
    if (result.ok) onDone();
  };

  return (
    <FormDialog
      title={d.addMembersTitle(group.name)}
      onClose={onClose}
      actions={
        <>
          <Button appearance="primary" disabled={submit.busy || chosen.size === 0} onClick={add}>
            {d.add}
          </Button>
          <Button onClick={onClose}>{d.cancel}</Button>
        </>
      }
    >
      <div className={styles.form}>
        {computers === null && <Spinner size="tiny" />}
        {load.failure && <ErrorBar title={strings.targets.membersFailed} message={load.failure.message} />}
        {computers !== null && candidates.length === 0 && !load.failure && <Text>{d.noComputers}</Text>}
        <div className={styles.list} role="group" aria-label={d.computersLabel}>
          {candidates.map((c) => (
            <Checkbox
              key={c.id}
              label={c.name}
              checked={chosen.has(c.id)}
              onChange={(_, v) =>
                setChosen((s) => {
                  const next = new Set(s);
                  if (v.checked === true) next.add(c.id);
                  else next.delete(c.id);
                  return next;
                })
              }
            />
          ))}
        </div>
        {submit.failure && <ErrorBar title={d.failed} message={submit.failure.message} />}
      </div>
    </FormDialog>
  );
}
