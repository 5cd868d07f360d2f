// Update agent policy: placeholder until the page lands.
import { NotAvailable } from "../../../components/NotAvailable";

export function AgentPolicyPage() {
  return <NotAvailable title="Not available yet" message="This page is being built." />;
}
