// The update languages offered in Software Update Point Properties (codes as the update
// metadata writes them). A code stored in the settings but missing here is still shown.
export const LANGUAGES: readonly { code: string; name: string }[] = [
  { code: "en", name: "English" },
  { code: "ar", name: "Arabic" },
  { code: "zh-cn", name: "Chinese (Simplified)" },
  { code: "zh-tw", name: "Chinese (Traditional)" },
  { code: "zh-hk", name: "Chinese (Hong Kong)" },
  { code: "cs", name: "Czech" },
  { code: "da", name: "Danish" },
  { code: "nl", name: "Dutch" },
  { code: "fi", name: "Finnish" },
  { code: "fr", name: "French" },
  { code: "de", name: "German" },
  { code: "el", name: "Greek" },
  { code: "he", name: "Hebrew" },
  { code: "hu", name: "Hungarian" },
  { code: "it", name: "Italian" },
  { code: "ja", name: "Japanese" },
  { code: "ko", name: "Korean" },
  { code: "no", name: "Norwegian" },
  { code: "pl", name: "Polish" },
  { code: "pt", name: "Portuguese" },
  { code: "pt-br", name: "Portuguese (Brazil)" },
  { code: "ru", name: "Russian" },
  { code: "es", name: "Spanish" },
  { code: "sv", name: "Swedish" },
  { code: "th", name: "Thai" },
  { code: "tr", name: "Turkish" },
  { code: "uk", name: "Ukrainian" },
];

/** A language's name for a code ("en" → "English"); a code not offered is shown as it is. */
export function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

/** The names of `codes`, in their order, for a summary line or a grid cell. */
export const languageNames = (codes: readonly string[]): string => codes.map(languageName).join(", ");

/** The offered languages plus any other code the settings hold, English first. */
export function languageChoices(stored: readonly string[]): { code: string; name: string | null }[] {
  const known = new Set(LANGUAGES.map((l) => l.code));
  const extra = stored.filter((c) => !known.has(c)).map((code) => ({ code, name: null }));
  return [...LANGUAGES, ...extra];
}
