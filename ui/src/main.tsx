import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { adoptTokenFromLocation } from "./api";
import { App } from "./app/App";

// Before anything renders: `#token=` from the URL `patchdeck serve` printed goes to
// session storage and leaves the address bar.
adoptTokenFromLocation();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
