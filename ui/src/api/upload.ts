// The browser console's upload of an Upload Update wizard's files: PUT
// /api/v1/publishing/uploads/<id>/<name>, the body streamed from the File, progress from the
// request's upload events (fetch gives none for a request body). The desktop app never uses
// it: it hands the site local paths.
import { ApiFailure, codeForStatus, isApiError } from "./errors";
import { getToken } from "./token";

export interface UploadProgress {
  /** Bytes of this file sent so far. */
  loaded: number;
  total: number;
}

/** Sends one file of an upload the site accepted; rejects with the site's ApiFailure. */
export function uploadFile(
  uploadId: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
  baseUrl: string = import.meta.env.VITE_PATCHDECK_API ?? "",
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = `${baseUrl.replace(/\/$/, "")}/api/v1/publishing/uploads/${encodeURIComponent(uploadId)}/${encodeURIComponent(file.name)}`;
    xhr.open("PUT", url);
    const token = getToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      reject(
        isApiError(body)
          ? new ApiFailure(body)
          : new ApiFailure({ code: codeForStatus(xhr.status), message: `The site server answered ${xhr.status} while ${file.name} was uploaded.` }),
      );
    };
    xhr.onerror = () => reject(new ApiFailure({ code: "Unavailable", message: `${file.name} could not be sent: the connection to the site was lost.` }));
    xhr.onabort = () => reject(new ApiFailure({ code: "Validation", message: `The upload of ${file.name} was cancelled.` }));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
