// Audit actors and actions as people read them: the log stores the site's identifiers
// ("api-token", "local:unknown", "catalog.import"), which mean nothing to an administrator.
import { strings } from "./strings";

const a = strings.actors;

/** Who acted, in words: the site token, this computer's user, a rule, a client, the scheduler. */
export function actorName(actor: string): string {
  if (actor === "api-token") return a.siteToken;
  if (actor === "local:unknown") return a.thisComputer;
  const [kind, ...rest] = actor.split(":");
  const name = rest.join(":");
  if (rest.length === 0) return a.fixed[actor] ?? actor;
  switch (kind) {
    case "local":
      return a.thisComputerAs(name);
    case "rule":
      return a.rule(name);
    case "client":
      return a.client(name);
    default:
      return actor;
  }
}

/** What was done: the name of a known action, else the identifier's words ("content.dp.add" → "Content dp add"). */
export function actionName(action: string): string {
  const known = strings.actions[action];
  if (known) return known;
  const words = action.split(/[._]/).filter(Boolean).join(" ");
  return words ? words[0].toUpperCase() + words.slice(1) : action;
}
