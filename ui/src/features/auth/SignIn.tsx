// The plain sign-in box of the browser console (`patchdeck serve`): asks for the bearer token.
import { useState, type FormEvent } from "react";
import { Button, Card, Field, Input, Subtitle1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { ApiFailure, signIn, toApiFailure, tokenWasRejected } from "../../api";
import { ErrorBar } from "../../components/ErrorBar";
import { strings } from "./strings";

const useStyles = makeStyles({
  page: {
    display: "flex",
    alignItems: "center",
    justifyContent: "center",
    height: "100vh",
    backgroundColor: tokens.colorNeutralBackground2,
  },
  card: { width: "420px", maxWidth: "90vw", padding: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground2 },
});

export function SignIn() {
  const styles = useStyles();
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const rejected = tokenWasRejected();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setBusy(true);
    setFailure(null);
    try {
      await signIn(token.trim());
    } catch (err) {
      setFailure(toApiFailure(err));
      setBusy(false);
    }
  };

  const message =
    failure?.code === "Unauthorized" ? strings.rejected : failure ? failure.message : rejected ? strings.rejected : null;

  return (
    <div className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={submit} aria-label={strings.title}>
          <Subtitle1 as="h1">{strings.title}</Subtitle1>
          <Text className={styles.hint}>{strings.explanation}</Text>
          {message && <ErrorBar title={strings.failed} message={message} />}
          <Field label={strings.tokenLabel} required>
            <Input
              type="password"
              autoFocus
              autoComplete="off"
              contentBefore={<KeyRegular />}
              value={token}
              onChange={(_, d) => setToken(d.value)}
            />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy || !token.trim()}>
            {busy ? strings.signingIn : strings.signIn}
          </Button>
        </form>
      </Card>
    </div>
  );
}
