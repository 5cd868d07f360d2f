// The screenshots' teardown: the servers stop as after the browser tests, then the index of
// docs/screenshots is rewritten from the pictures there.
import globalTeardown from "../global-teardown";
import { writeIndex } from "./shots";

export default async function screenshotsTeardown(): Promise<void> {
  await globalTeardown();
  writeIndex();
}
