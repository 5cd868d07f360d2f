// The Overview of Assets and Compliance, Monitoring and Administration: how many of each
// thing the workspace's nodes hold, each tile a link to its node (workspace_overview).
// Monitoring's adds the alerts that are active; Administration's offers the first-run wizard.
import { Button, Card, CardHeader, Link, Spinner, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import { call, type Commands } from "../../api";
import { useOpenFirstRun } from "../../app/firstRun";
import { parseRoute, useNavigateTo } from "../../app/navigate";
import { ErrorBar } from "../../components/ErrorBar";
import { useLoad } from "../../components/useLoad";
import { strings } from "./strings";

type Item = Commands["workspace_overview"]["result"][number];
export type OverviewWorkspace = "assets" | "monitoring" | "administration";

const useStyles = makeStyles({
  root: { height: "100%", overflowY: "auto" },
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}` },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1 },
  tiles: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))", gap: tokens.spacingHorizontalL },
  count: { fontSize: tokens.fontSizeHero800, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero800 },
  muted: { color: tokens.colorNeutralForeground3 },
});

export function WorkspaceOverviewPage({ workspace }: { workspace: OverviewWorkspace }) {
  const styles = useStyles();
  const navigate = useNavigateTo();
  const openFirstRun = useOpenFirstRun();
  const { value: items, failure, reload } = useLoad(() => {
    const alerts: Promise<Item[]> =
      workspace === "monitoring"
        ? call("list_alerts", {}).then((list) => {
            const active = list.filter((a) => a.state === "Active").length;
            return [{ kind: "alerts", title: strings.alerts.title, detail: strings.alerts.detail, count: active, link: "monitoring/monitoring.alerts" }];
          })
        : Promise.resolve([]);
    return Promise.all([alerts, call("workspace_overview", { workspace })]).then(([first, rest]) => [...first, ...rest]);
  }, workspace);
  const follow = (link: string) => {
    const route = parseRoute(link);
    if (route) navigate(route.workspace, route.node, Object.keys(route.params).length > 0 ? route.params : undefined);
  };

  return (
    <div className={styles.root}>
      <div className={styles.page}>
        <div className={styles.header}>
          <Title3 as="h1" className={styles.grow}>
            {strings.title[workspace]}
          </Title3>
          {workspace === "administration" && <Button onClick={openFirstRun}>{strings.firstRun}</Button>}
          <Button icon={<ArrowClockwiseRegular />} onClick={reload}>
            {strings.refresh}
          </Button>
        </div>
        {failure && <ErrorBar title={strings.loadFailed} message={failure.message} onRetry={reload} retryLabel={strings.retry} />}
        {items === null && !failure && <Spinner size="tiny" label={strings.loading} />}
        {items && (
          <div className={styles.tiles}>
            {items.map((item) => (
              <Card key={item.kind} data-testid={`overview-${item.kind}`}>
                <CardHeader header={<Text weight="semibold">{item.title}</Text>} />
                <Text className={styles.count}>{item.count.toLocaleString()}</Text>
                <Text className={styles.muted}>{item.detail}</Text>
                <Link
                  href="#"
                  onClick={(e) => {
                    e.preventDefault();
                    follow(item.link);
                  }}
                >
                  {strings.open(item.title)}
                </Link>
              </Card>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
