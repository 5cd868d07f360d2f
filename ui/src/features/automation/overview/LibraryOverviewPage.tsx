// Software Library › Overview (APR-3): what needs the administrator's attention — new
// updates to approve (only when some managed computer needs one), failed rule runs,
// deployments below their compliance alert, a failed synchronization — each a link to the
// filtered view it counts, then the last synchronization and the managed computers.
import { Button, Card, CardHeader, Link, Spinner, Subtitle2, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { call, type Commands } from "../../../api";
import { nodeIds, parseRoute, useNavigateTo } from "../../../app/navigate";
import { ErrorBar } from "../../../components/ErrorBar";
import { formatUtc } from "../../../components/format";
import { PropertyList } from "../../../components/PropertyList";
import { useLoad } from "../../../components/useLoad";
import { strings } from "./strings";

type LibraryOverview = Commands["library_overview"]["result"];
type OverviewItem = LibraryOverview["items"][number];

const useStyles = makeStyles({
  root: { height: "100%", overflowY: "auto" },
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}` },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1 },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  tiles: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(300px, 1fr))", gap: tokens.spacingHorizontalL },
  count: { fontSize: tokens.fontSizeHero800, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero800 },
  attention: { borderLeftWidth: "4px", borderLeftStyle: "solid", borderLeftColor: tokens.colorPaletteDarkOrangeBorder2 },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function LibraryOverviewPage() {
  const styles = useStyles();
  const navigate = useNavigateTo();
  const { value: overview, failure, reload } = useLoad(() => call("library_overview", {}));
  const follow = (link: string) => {
    const route = parseRoute(link);
    if (!route) return;
    navigate(route.workspace, route.node, Object.keys(route.params).length > 0 ? route.params : undefined);
  };
  // APR-3: the "to approve" tile exists only while there is something to approve.
  const items = (overview?.items ?? []).filter(
    (i) => i.count > 0 && (i.kind !== "newUpdatesToApprove" || (overview?.newUpdatesToApprove ?? 0) > 0),
  );

  return (
    <div className={styles.root}>
      <div className={styles.page}>
        <div className={styles.header}>
          <Title3 as="h1" className={styles.grow}>
            {strings.pageTitle}
          </Title3>
          <Button icon={<ArrowClockwiseRegular />} onClick={reload}>
            {strings.refresh}
          </Button>
        </div>
        {failure && <ErrorBar title={strings.loadFailed} message={failure.message} onRetry={reload} retryLabel={strings.retry} />}
        {overview === null && !failure && <Spinner size="tiny" label={strings.loading} />}
        {overview && (
          <>
            <section className={styles.section} aria-labelledby="attention-heading">
              <Subtitle2 as="h2" id="attention-heading">
                {strings.attention}
              </Subtitle2>
              {items.length === 0 ? (
                <Text as="p" className={styles.muted} role="status">
                  {strings.allClear}
                </Text>
              ) : (
                <div className={styles.tiles}>
                  {items.map((item) => (
                    <AttentionTile key={item.kind} item={item} overview={overview} onFollow={follow} />
                  ))}
                </div>
              )}
            </section>
            <section className={styles.section} aria-labelledby="status-heading">
              <Subtitle2 as="h2" id="status-heading">
                {strings.status}
              </Subtitle2>
              <div className={styles.tiles}>
                <LastSyncTile sync={overview.lastSync} onOpen={() => navigate(nodeIds.syncStatus.workspace, nodeIds.syncStatus.node)} />
                <Card data-testid="overview-managedComputers">
                  <CardHeader header={<Text weight="semibold">{strings.managed.title}</Text>} />
                  <Text className={styles.count}>{overview.managedComputers.toLocaleString()}</Text>
                  <Text className={styles.muted}>{strings.managed.detail(overview.managedComputers)}</Text>
                </Card>
              </div>
            </section>
          </>
        )}
      </div>
    </div>
  );
}

function AttentionTile(props: { item: OverviewItem; overview: LibraryOverview; onFollow(link: string): void }) {
  const { item, overview, onFollow } = props;
  const styles = useStyles();
  return (
    <Card className={styles.attention} data-testid={`overview-${item.kind}`}>
      <CardHeader header={<Text weight="semibold">{item.title}</Text>} />
      <Text className={styles.count}>{item.count.toLocaleString()}</Text>
      <Text>{item.detail}</Text>
      {item.kind === "failedRules" && overview.failedRules.length > 0 && (
        <ul className={styles.list} aria-label={strings.failedRules}>
          {overview.failedRules.map((r) => (
            <li key={r.runId}>
              <Text weight="semibold">{r.ruleName}</Text> <Text className={styles.muted}>{formatUtc(r.startedUtc)}</Text>
              {r.error && <Text className={styles.error}> — {r.error}</Text>}
            </li>
          ))}
        </ul>
      )}
      {item.kind === "deploymentsBelowAlert" && overview.deploymentsBelowAlert.length > 0 && (
        <ul className={styles.list} aria-label={strings.belowAlert}>
          {overview.deploymentsBelowAlert.map((d) => (
            <li key={d.id}>{strings.deploymentTo(d.name, d.targetGroupPath)}</li>
          ))}
        </ul>
      )}
      {item.link && (
        <Link
          href="#"
          aria-label={strings.open(item.title)}
          onClick={(e) => {
            e.preventDefault();
            onFollow(item.link);
          }}
        >
          {strings.open(item.title)}
        </Link>
      )}
    </Card>
  );
}

function LastSyncTile({ sync, onOpen }: { sync: LibraryOverview["lastSync"]; onOpen(): void }) {
  const styles = useStyles();
  const t = strings.lastSync;
  return (
    <Card data-testid="overview-lastSync">
      <CardHeader header={<Text weight="semibold">{t.title}</Text>} />
      {sync === null ? (
        <Text className={styles.muted}>{t.never}</Text>
      ) : (
        <PropertyList
          ariaLabel={t.title}
          items={[
            { label: t.state, value: t.states[sync.state] ?? sync.state },
            { label: t.started, value: formatUtc(sync.startedUtc) },
            { label: t.ended, value: sync.endedUtc ? formatUtc(sync.endedUtc) : "—" },
            { label: t.upstream, value: sync.upstream },
            { label: t.counts, value: t.countsValue(sync.newCount, sync.changedCount, sync.expiredCount, sync.removedCount) },
            ...(sync.error ? [{ label: t.error, value: <span className={styles.error}>{sync.error}</span> }] : []),
          ]}
        />
      )}
      <Link
        href="#"
        onClick={(e) => {
          e.preventDefault();
          onOpen();
        }}
      >
        {t.link}
      </Link>
    </Card>
  );
}
