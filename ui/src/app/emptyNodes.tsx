// What the nodes this version does not fill yet hold, and where to go meanwhile: each says
// what the node will show and links to what exists now (issue 14; filled by issues 7, 11, 12).
import { EmptyState } from "../components/EmptyState";
import { useNavigateTo } from "./navigate";

interface Empty {
  message: string;
  link: { label: string; workspace: string; node: string };
}

// Every node has its page today (Offline Servicing was the last, issue 17); a node added
// before its page gets its entry here.
const EMPTY: Record<string, Empty> = {};

/** The empty state of a node without a page; null when the node has none written. */
export function EmptyNode({ nodeId, title }: { nodeId: string; title: string }) {
  const navigate = useNavigateTo();
  const empty = EMPTY[nodeId];
  if (!empty) return null;
  return (
    <EmptyState
      title={title}
      message={empty.message}
      actions={[{ label: empty.link.label, run: () => navigate(empty.link.workspace, empty.link.node) }]}
      testId="empty-node"
    />
  );
}

export function hasEmptyState(nodeId: string): boolean {
  return nodeId in EMPTY;
}
