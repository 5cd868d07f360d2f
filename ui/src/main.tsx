import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { adoptTokenFromLocation, transportKind } from "./api";
import { forwardConsoleToLog } from "./api/desktop";
import { App } from "./app/App";

// Before anything renders: `#token=` from the URL `patchdeck serve` printed goes to
// session storage and leaves the address bar.
adoptTokenFromLocation();
// In the desktop app the webview's console lands in the app's log file too.
if (transportKind === "tauri") void forwardConsoleToLog();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
