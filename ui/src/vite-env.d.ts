/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of `patchdeck serve` for `npm run dev` against a separate server; empty = same origin. */
  readonly VITE_PATCHDECK_API?: string;
}
