// Properties of a software update group: General (name, description), Software Updates (the
// member list; members can be marked for removal) and Compliance (the group's summary).
// Changes are sent once, with OK or Apply, as one edit_update_group.
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Tab,
  TabList,
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
import { call, toApiFailure, type ApiFailure } from "../../api";
import { DeniedNote, useDenied } from "../../components/DeniedNote";
import { ErrorBar } from "../../components/ErrorBar";
import { formatUtc } from "../../components/format";
import { PropertyList } from "../../components/PropertyList";
import { compliancePercent } from "./compliance";
import { strings } from "./strings";
import type { UpdateGroupDetails } from "./types";
import { useSubmit } from "./useSubmit";

const u = strings.updateGroups;
const d = u.dialog;
type TabId = keyof typeof d.tabs;
const TABS: TabId[] = ["general", "members", "compliance"];

const useStyles = makeStyles({
  surface: { width: "min(900px, 95vw)", maxWidth: "95vw", height: "min(680px, 90vh)" },
  body: { height: "100%", gridTemplateRows: "auto minmax(0, 1fr) auto" },
  content: { display: "flex", flexDirection: "column", minHeight: 0, overflow: "hidden", padding: 0 },
  panel: { overflow: "auto", minHeight: 0, flexGrow: 1, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  removed: { textDecorationLine: "line-through", color: tokens.colorNeutralForeground4 },
});

export function UpdateGroupProperties({ groupId, onClose }: { groupId: number; onClose(changed: boolean): void }) {
  const styles = useStyles();
  const [details, setDetails] = useState<UpdateGroupDetails | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const denied = useDenied("edit_update_group");
  const [tab, setTab] = useState<TabId>("general");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [marked, setMarked] = useState<Set<string>>(() => new Set());
  const [toRemove, setToRemove] = useState<Set<string>>(() => new Set());
  const [changed, setChanged] = useState(false);
  const [generation, setGeneration] = useState(0);
  const submit = useSubmit();

  useEffect(() => {
    let live = true;
    call("get_update_group", { id: groupId }).then(
      (g) => {
        if (!live) return;
        setDetails(g);
        setName(g.info.name);
        setDescription(g.info.description);
        setToRemove(new Set());
        setMarked(new Set());
        setFailure(null);
      },
      (e: unknown) => live && setFailure(toApiFailure(e)),
    );
    return () => {
      live = false;
    };
  }, [groupId, generation]);

  const dirty =
    details !== null && (name.trim() !== details.info.name || description !== details.info.description || toRemove.size > 0);

  const apply = useCallback(async (): Promise<boolean> => {
    if (!details || !dirty) return true;
    if (name.trim() === "") {
      setTab("general");
      return false;
    }
    const result = await submit.run(() =>
      call("edit_update_group", {
        id: groupId,
        name: name.trim() !== details.info.name ? name.trim() : null,
        description: description !== details.info.description ? description : null,
        add: [],
        remove: [...toRemove],
      }),
    );
    if (!result.ok) return false;
    setChanged(true);
    setGeneration((g) => g + 1);
    return true;
  }, [details, dirty, name, description, toRemove, groupId, submit]);

  const close = () => onClose(changed);

  return (
    <Dialog open modalType="modal" onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody className={styles.body}>
          <DialogTitle>{details ? d.title(details.info.name) : d.loading}</DialogTitle>
          <DialogContent className={styles.content}>
            <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as TabId)} size="small">
              {TABS.map((t) => (
                <Tab key={t} value={t}>
                  {d.tabs[t]}
                </Tab>
              ))}
            </TabList>
            <div role="tabpanel" aria-label={d.tabs[tab]} className={styles.panel}>
              {failure && <ErrorBar title={d.loadFailed} message={failure.message} />}
              {submit.failure && <ErrorBar title={d.saveFailed} message={submit.failure.message} />}
              {!details && !failure && <Spinner label={d.loading} />}
              {details && tab === "general" && (
                <>
                  <Field
                    label={d.name}
                    required
                    validationState={name.trim() === "" ? "error" : "none"}
                    validationMessage={name.trim() === "" ? d.nameEmpty : undefined}
                  >
                    <Input value={name} onChange={(_, v) => setName(v.value)} />
                  </Field>
                  <Field label={d.description}>
                    <Textarea value={description} onChange={(_, v) => setDescription(v.value)} resize="vertical" />
                  </Field>
                  <PropertyList
                    items={[
                      { label: d.created, value: formatUtc(details.info.createdUtc) },
                      { label: d.memberCount, value: String(details.info.memberCount) },
                      { label: d.deployments, value: String(details.info.deploymentCount) },
                    ]}
                  />
                </>
              )}
              {details && tab === "members" && (
                <>
                  <div>
                    <Button
                      disabled={marked.size === 0}
                      title={d.removeMembersHint}
                      onClick={() => {
                        setToRemove((s) => new Set([...s, ...marked]));
                        setMarked(new Set());
                      }}
                    >
                      {d.removeMembers}
                    </Button>
                  </div>
                  {toRemove.size > 0 && (
                    <MessageBar intent="warning" layout="multiline">
                      <MessageBarBody>{d.pendingRemovals(toRemove.size)}</MessageBarBody>
                    </MessageBar>
                  )}
                  {details.members.length === 0 ? (
                    <Text>{d.noMembers}</Text>
                  ) : (
                    <Table size="small" aria-label={d.membersLabel}>
                      <TableHeader>
                        <TableRow>
                          <TableHeaderCell style={{ width: 36 }} />
                          <TableHeaderCell>{d.columns.title}</TableHeaderCell>
                          <TableHeaderCell style={{ width: 100 }}>{d.columns.articleId}</TableHeaderCell>
                          <TableHeaderCell style={{ width: 150 }}>{d.columns.classification}</TableHeaderCell>
                          <TableHeaderCell style={{ width: 80 }}>{d.columns.required}</TableHeaderCell>
                          <TableHeaderCell style={{ width: 80 }}>{d.columns.installed}</TableHeaderCell>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {details.members.map((m) => {
                          const gone = toRemove.has(m.updateId);
                          return (
                            <TableRow key={m.updateId} className={gone ? styles.removed : undefined}>
                              <TableCell>
                                <Checkbox
                                  aria-label={d.select(m.title)}
                                  disabled={gone}
                                  checked={marked.has(m.updateId)}
                                  onChange={(_, v) =>
                                    setMarked((s) => {
                                      const next = new Set(s);
                                      if (v.checked === true) next.add(m.updateId);
                                      else next.delete(m.updateId);
                                      return next;
                                    })
                                  }
                                />
                              </TableCell>
                              <TableCell>{m.title}</TableCell>
                              <TableCell>{m.articleId ? `KB${m.articleId}` : ""}</TableCell>
                              <TableCell>{m.classification ?? ""}</TableCell>
                              <TableCell>{m.requiredCount}</TableCell>
                              <TableCell>{m.installedCount}</TableCell>
                            </TableRow>
                          );
                        })}
                      </TableBody>
                    </Table>
                  )}
                </>
              )}
              {details && tab === "compliance" && (
                <>
                  <Text>{d.complianceIntro}</Text>
                  <PropertyList
                    ariaLabel={d.tabs.compliance}
                    items={[
                      { label: d.compliant, value: u.compliancePercent(compliancePercent(details.info.compliance)) },
                      { label: d.required, value: String(details.info.compliance.required) },
                      { label: d.installed, value: String(details.info.compliance.installed) },
                      { label: d.notRequired, value: String(details.info.compliance.notRequired) },
                      { label: d.failed, value: String(details.info.compliance.failed) },
                      { label: d.unknown, value: String(details.info.compliance.unknown) },
                    ]}
                  />
                </>
              )}
            </div>
          </DialogContent>
          <DialogActions>
            <DeniedNote reason={denied} />
            <Button
              appearance="primary"
              disabled={submit.busy || !!denied}
              onClick={async () => {
                if (await apply()) onClose(true);
              }}
            >
              {d.ok}
            </Button>
            <Button onClick={close}>{d.cancel}</Button>
            <Button disabled={!dirty || submit.busy || !!denied} onClick={() => void apply()}>
              {d.apply}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
