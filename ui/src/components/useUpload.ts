// A browser console's upload of files to the site's machine, for the wizards that need a file
// there (Upload Update, Add Operating System Image): the files are declared with what they
// are for (the site checks them and its free space before any byte), then sent one by one
// with the bytes sent so far. A failure, or stop(), cancels the upload on the site, so
// nothing of it stays; the site also removes a broken transfer itself.
import { useCallback, useEffect, useRef, useState } from "react";
import { call, toApiFailure, type ApiFailure } from "../api";
import type { UploadPurpose } from "../api/generated/UploadPurpose";
import { uploadFile } from "../api/upload";

export interface UploadSent {
  uploadId: string;
  /** Where the site stored each file, in the order given. */
  paths: string[];
}

export interface Upload {
  /** Bytes sent and declared while sending; null otherwise. */
  sending: { sent: number; total: number } | null;
  failure: ApiFailure | null;
  /** Sends the files; the site's paths, or null when it failed or was stopped (see `failure`). */
  send(files: readonly File[]): Promise<UploadSent | null>;
  /** Stops a transfer under way; the site forgets what it received. */
  stop(): void;
}

export function useUpload(purpose: UploadPurpose): Upload {
  const [sending, setSending] = useState<Upload["sending"]>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const running = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
      running.current?.abort();
    },
    [],
  );

  const send = useCallback(
    async (files: readonly File[]): Promise<UploadSent | null> => {
      const total = files.reduce((n, f) => n + f.size, 0);
      const abort = new AbortController();
      running.current = abort;
      setFailure(null);
      setSending({ sent: 0, total });
      let uploadId: string | null = null;
      try {
        const session = await call("begin_upload", { purpose, files: files.map((f) => ({ name: f.name, size: f.size })) });
        uploadId = session.uploadId;
        let before = 0;
        for (const f of files) {
          if (abort.signal.aborted) throw toApiFailure({ code: "Validation", message: `The upload of ${f.name} was cancelled.` });
          await uploadFile(session.uploadId, f, (p) => mounted.current && setSending({ sent: before + p.loaded, total }), abort.signal);
          before += f.size;
        }
        if (mounted.current) setSending(null);
        return session;
      } catch (e) {
        if (mounted.current) {
          setSending(null);
          setFailure(toApiFailure(e));
        }
        // A refusal before the upload began left nothing to cancel.
        if (uploadId) void call("cancel_upload", { uploadId }).catch(() => undefined);
        return null;
      } finally {
        if (running.current === abort) running.current = null;
      }
    },
    [purpose],
  );

  const stop = useCallback(() => running.current?.abort(), []);
  return { sending, failure, send, stop };
}
