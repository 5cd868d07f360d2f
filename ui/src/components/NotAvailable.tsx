// What a node that this version does not implement yet shows: no fake data.
import { EmptyState } from "./EmptyState";

export function NotAvailable({ title, message }: { title: string; message: string }) {
  return <EmptyState title={title} message={message} />;
}
