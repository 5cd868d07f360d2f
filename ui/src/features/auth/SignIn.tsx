// The sign-in box of the browser console (`patchdeck serve`): an administrator's name and
// password (a server session), or a bearer token (the site's, or a personal one).
import { useState, type FormEvent } from "react";
import { Button, Card, Field, Input, Subtitle1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { ApiFailure, signIn, signInWithPassword, toApiFailure, tokenWasRejected } from "../../api";
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
  const [withToken, setWithToken] = useState(false);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const rejected = tokenWasRejected();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (withToken ? !token.trim() : !name.trim() || !password) return;
    setBusy(true);
    setFailure(null);
    try {
      if (withToken) await signIn(token.trim());
      else await signInWithPassword(name.trim(), password);
    } catch (err) {
      setFailure(toApiFailure(err));
      setBusy(false);
    }
  };

  const refusedText = withToken ? strings.rejected : strings.badPassword;
  const message =
    failure?.code === "Unauthorized" ? refusedText : failure ? failure.message : rejected && withToken ? strings.rejected : null;
  const ready = withToken ? !!token.trim() : !!name.trim() && !!password;

  return (
    <div className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={submit} aria-label={strings.title}>
          <Subtitle1 as="h1">{strings.title}</Subtitle1>
          <Text className={styles.hint}>{withToken ? strings.explanation : strings.passwordExplanation}</Text>
          {message && <ErrorBar title={strings.failed} message={message} />}
          {withToken ? (
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
          ) : (
            <>
              <Field label={strings.nameLabel} required>
                <Input autoFocus autoComplete="username" value={name} onChange={(_, d) => setName(d.value)} />
              </Field>
              <Field label={strings.passwordLabel} required>
                <Input type="password" autoComplete="current-password" value={password} onChange={(_, d) => setPassword(d.value)} />
              </Field>
            </>
          )}
          <Button appearance="primary" type="submit" disabled={busy || !ready}>
            {busy ? strings.signingIn : strings.signIn}
          </Button>
          <Button appearance="transparent" type="button" onClick={() => { setWithToken(!withToken); setFailure(null); }}>
            {withToken ? strings.usePassword : strings.useToken}
          </Button>
        </form>
      </Card>
    </div>
  );
}
