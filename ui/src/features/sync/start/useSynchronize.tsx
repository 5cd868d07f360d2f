// "Synchronize Software Updates" (SYNC-4): a Yes / No confirmation, then start_sync, then a
// bar saying it started (or that one is already running) with a link to Monitoring.
// Pages that offer the command (All Software Updates; Software Update Groups later) put
// `dialog` anywhere and `bar` where their message bars go.
import { useState, type ReactNode } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from "@fluentui/react-components";
import { ArrowSyncRegular, DismissRegular } from "@fluentui/react-icons";
import { call, toApiFailure, type ApiFailure, type SyncRunInfo } from "../../../api";
import { nodeIds, useNavigateTo } from "../../../app/navigate";
import type { Command } from "../../../components/CommandBar/CommandBar";
import { ErrorBar } from "../../../components/ErrorBar";
import { strings } from "../strings";

const t = strings.start;

type Outcome = { kind: "started"; run: SyncRunInfo } | { kind: "failed"; failure: ApiFailure };

/**
 * `followLink`: offer the link to Monitoring in the bar (not on the Monitoring page itself).
 */
export function useSynchronize({ followLink = true }: { followLink?: boolean } = {}): {
  command: Command;
  dialog: ReactNode;
  bar: ReactNode;
} {
  const navigateTo = useNavigateTo();
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const start = async () => {
    setStarting(true);
    try {
      const run = await call("start_sync", {});
      setOutcome({ kind: "started", run });
    } catch (e) {
      setOutcome({ kind: "failed", failure: toApiFailure(e) });
    } finally {
      setStarting(false);
      setConfirming(false);
    }
  };

  const follow = followLink ? (
    <Link as="button" onClick={() => navigateTo(nodeIds.syncStatus.workspace, nodeIds.syncStatus.node)}>
      {t.follow}
    </Link>
  ) : null;
  const dismiss = (
    <Button appearance="transparent" aria-label={strings.dismiss} icon={<DismissRegular />} onClick={() => setOutcome(null)} />
  );

  let bar: ReactNode = null;
  if (outcome?.kind === "started") {
    bar = (
      <MessageBar intent="success" layout="multiline" data-testid="sync-started">
        <MessageBarBody>
          {t.started(outcome.run.runId)} {follow}
        </MessageBarBody>
        <MessageBarActions containerAction={dismiss} />
      </MessageBar>
    );
  } else if (outcome?.kind === "failed" && outcome.failure.code === "Conflict") {
    bar = (
      <MessageBar intent="warning" layout="multiline" role="alert">
        <MessageBarBody>
          <MessageBarTitle>{t.alreadyRunning}</MessageBarTitle>
          {outcome.failure.message} {follow}
        </MessageBarBody>
        <MessageBarActions containerAction={dismiss} />
      </MessageBar>
    );
  } else if (outcome?.kind === "failed") {
    bar = (
      <ErrorBar
        title={t.failed}
        message={outcome.failure.message}
        onDismiss={() => setOutcome(null)}
        dismissLabel={strings.dismiss}
      />
    );
  }

  const dialog = confirming ? (
    <Dialog open modalType="alert" onOpenChange={(_, d) => !d.open && !starting && setConfirming(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t.confirmTitle}</DialogTitle>
          <DialogContent>{t.confirmText}</DialogContent>
          <DialogActions>
            {starting && <Spinner size="tiny" label={t.starting} />}
            <Button appearance="primary" disabled={starting} onClick={() => void start()}>
              {strings.yes}
            </Button>
            <Button disabled={starting} onClick={() => setConfirming(false)}>
              {strings.no}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  ) : null;

  const command: Command = {
    id: "synchronize",
    needs: "start_sync",
    label: t.command,
    description: t.commandHint,
    icon: <ArrowSyncRegular />,
    group: "sync",
    run: () => {
      setOutcome(null);
      setConfirming(true);
    },
  };

  return { command, dialog, bar };
}
