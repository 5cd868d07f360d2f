// Monitoring › Alerts: failed synchronizations, deployments below their compliance alert and
// failed rule runs (list_alerts), newest first, each with its time, state and a link to its
// object; Close, Postpone and Reactivate change its state (set_alert_state, audited).
import { useState } from "react";
import { Button, Checkbox, Link, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type Commands } from "../../api";
import { nodeIds, parseRoute, useNavigateTo } from "../../app/navigate";
import { deniedReason, useWhoAmI } from "../../components/CommandBar/access";
import { EmptyState } from "../../components/EmptyState";
import { ErrorBar } from "../../components/ErrorBar";
import { actorName } from "../audit/names";
import { formatUtc } from "../../components/format";
import { useLoad } from "../../components/useLoad";
import { PlainTable, type PlainColumn } from "../../components/PlainTable";
import { strings } from "./strings";

type Alert = Commands["list_alerts"]["result"][number];
type AlertState = Alert["state"];

const useStyles = makeStyles({
  root: { height: "100%", overflowY: "auto" },
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}` },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1 },
  detail: { overflowWrap: "anywhere" },
  actions: { display: "flex", gap: tokens.spacingHorizontalXS },
});

export function AlertsPage() {
  const styles = useStyles();
  const navigate = useNavigateTo();
  // Closing or postponing an alert needs what set_alert_state needs; an analyst sees why not.
  const denied = deniedReason(useWhoAmI(), "set_alert_state");
  const loaded = useLoad(() => call("list_alerts", {}));
  const { value: alerts, failure, reload } = loaded;
  const [changeFailure, setChangeFailure] = useState<ApiFailure | null>(null);
  const [showClosed, setShowClosed] = useState(false);

  const setState = async (id: string, state: AlertState) => {
    setChangeFailure(null);
    try {
      const changed = await call("set_alert_state", { id, state });
      loaded.set((list) => list?.map((a) => (a.id === id ? changed : a)) ?? null);
    } catch (e) {
      setChangeFailure(toApiFailure(e));
    }
  };
  const follow = (link: string) => {
    const route = parseRoute(link);
    if (route) navigate(route.workspace, route.node, Object.keys(route.params).length > 0 ? route.params : undefined);
  };

  const shown = (alerts ?? []).filter((a) => showClosed || a.state !== "Closed");
  const columns: PlainColumn<Alert>[] = [
    { id: "raised", header: strings.columns.raised, width: "150px", render: (a) => formatUtc(a.raisedUtc) },
    { id: "state", header: strings.columns.state, width: "90px", render: (a) => strings.state[a.state] },
    {
      id: "alert",
      header: strings.columns.alert,
      width: "260px",
      render: (a) => (
        <Link as="button" onClick={() => follow(a.link)} title={strings.kind[a.kind]}>
          {a.title}
        </Link>
      ),
    },
    { id: "detail", header: strings.columns.detail, className: () => styles.detail, render: (a) => a.detail },
    {
      id: "changed",
      header: strings.columns.changed,
      width: "170px",
      render: (a) => (a.stateChangedUtc ? strings.changedBy(formatUtc(a.stateChangedUtc), actorName(a.stateChangedBy ?? "")) : ""),
    },
    {
      id: "actions",
      header: strings.columns.actions,
      width: "190px",
      render: (a) => (
        <div className={styles.actions}>
          {a.state !== "Closed" && (
            <Button size="small" disabled={!!denied} title={denied} onClick={() => void setState(a.id, "Closed")} aria-label={`${strings.close} ${a.title}`}>
              {strings.close}
            </Button>
          )}
          {a.state === "Active" && (
            <Button size="small" disabled={!!denied} title={denied} onClick={() => void setState(a.id, "Postponed")} aria-label={`${strings.postpone} ${a.title}`}>
              {strings.postpone}
            </Button>
          )}
          {a.state !== "Active" && (
            <Button size="small" disabled={!!denied} title={denied} onClick={() => void setState(a.id, "Active")} aria-label={`${strings.reopen} ${a.title}`}>
              {strings.reopen}
            </Button>
          )}
        </div>
      ),
    },
  ];

  return (
    <div className={styles.root}>
      <div className={styles.page}>
        <div className={styles.header}>
          <Subtitle2 as="h1" className={styles.grow}>
            {strings.title}
          </Subtitle2>
          <Checkbox label={strings.showClosed} checked={showClosed} onChange={(_, d) => setShowClosed(d.checked === true)} />
          <Button icon={<ArrowClockwiseRegular />} onClick={reload}>
            {strings.refresh}
          </Button>
        </div>
        {failure && <ErrorBar title={strings.loadFailed} message={failure.message} onRetry={reload} retryLabel={strings.retry} />}
        {changeFailure && (
          <ErrorBar title={strings.changeFailed} message={changeFailure.message} onDismiss={() => setChangeFailure(null)} dismissLabel={strings.dismiss} />
        )}
        {alerts === null && !failure && <Spinner size="tiny" label={strings.loading} />}
        {alerts && shown.length === 0 && (
          <EmptyState
            title=""
            message={strings.empty}
            actions={[{ label: strings.emptyLink, run: () => navigate(nodeIds.syncStatus.workspace, nodeIds.syncStatus.node) }]}
          />
        )}
        {shown.length > 0 && (
          <PlainTable
            ariaLabel={strings.gridLabel}
            columns={columns}
            rows={shown}
            rowKey={(a) => a.id}
            rowData={(a) => ({ "data-alert-id": a.id, "data-state": a.state })}
            size="small"
          />
        )}
      </div>
    </div>
  );
}
