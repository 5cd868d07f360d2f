// Automatic deployment rules: placeholder until the page lands.
import { NotAvailable } from "../../../components/NotAvailable";

export function AdrPage() {
  return <NotAvailable title="Not available yet" message="This page is being built." />;
}
