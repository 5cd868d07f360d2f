// Auto-approval rules: placeholder until the page lands.
import { NotAvailable } from "../../../components/NotAvailable";

export function AutoApprovalPage() {
  return <NotAvailable title="Not available yet" message="This page is being built." />;
}
