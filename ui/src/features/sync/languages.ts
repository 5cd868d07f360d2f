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

/** The offered languages plus any other code the settings hold, English first. */
export function languageChoices(stored: readonly string[]): { code: string; name: string | null }[] {
  const known = new Set(LANGUAGES.map((l) => l.code));
  const extra = stored.filter((c) => !known.has(c)).map((code) => ({ code, name: null }));
  return [...LANGUAGES, ...extra];
}
