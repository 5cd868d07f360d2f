// Automatic deployment rule runs: placeholder until the page lands.
import { NotAvailable } from "../../../components/NotAvailable";

export function AdrRunsPage() {
  return <NotAvailable title="Not available yet" message="This page is being built." />;
}
