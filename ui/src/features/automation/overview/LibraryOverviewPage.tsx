// Software Library overview: placeholder until the page lands.
import { NotAvailable } from "../../../components/NotAvailable";

export function LibraryOverviewPage() {
  return <NotAvailable title="Not available yet" message="This page is being built." />;
}
