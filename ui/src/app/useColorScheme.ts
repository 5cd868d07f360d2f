// Follows the OS light/dark preference, live.
import { useSyncExternalStore } from "react";
import { webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";

const QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const mql = window.matchMedia?.(QUERY);
  mql?.addEventListener("change", onChange);
  return () => mql?.removeEventListener("change", onChange);
}

const prefersDark = () => window.matchMedia?.(QUERY).matches ?? false;

export function useOsTheme(): Theme {
  const dark = useSyncExternalStore(subscribe, prefersDark, () => false);
  return dark ? webDarkTheme : webLightTheme;
}
