export const strings = {
  title: "Sign in to the site server",
  explanation:
    "This console talks to a Patchdeck site server. Enter the access token it printed when it started (also stored in the site folder's api-token file).",
  passwordExplanation: "Sign in with your administrator name and password, or use an access token.",
  nameLabel: "Name",
  passwordLabel: "Password",
  useToken: "Use an access token instead",
  usePassword: "Use a name and password instead",
  badPassword: "The name or password is not right.",
  tokenLabel: "Access token",
  signIn: "Sign in",
  signingIn: "Signing in…",
  rejected: "The server did not accept the token. Enter the current one.",
  failed: "Cannot sign in",
} as const;
