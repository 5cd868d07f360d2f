// Every text of the workspace Overview pages.
export const strings = {
  title: {
    assets: "Assets and Compliance Overview",
    monitoring: "Monitoring Overview",
    administration: "Administration Overview",
  },
  alerts: { title: "Active alerts", detail: "Failed synchronizations and rule runs, deployments below their compliance alert." },
  firstRun: "Run the first-run wizard",
  refresh: "Refresh",
  retry: "Retry",
  loading: "Loading…",
  loadFailed: "Cannot read the overview",
  open: (title: string) => `Open ${title}`,
};
