// Theme, sign-in gate, console.
import { useSyncExternalStore } from "react";
import { FluentProvider } from "@fluentui/react-components";
import { needsSignIn, onTokenChange } from "../api";
import { SignIn } from "../features/auth/SignIn";
import { ConsoleShell } from "./ConsoleShell";
import { useOsTheme } from "./useColorScheme";

export function App() {
  const theme = useOsTheme();
  const signedOut = useSyncExternalStore(onTokenChange, needsSignIn);
  return (
    <FluentProvider theme={theme} style={{ height: "100vh" }}>
      {signedOut ? <SignIn /> : <ConsoleShell />}
    </FluentProvider>
  );
}
