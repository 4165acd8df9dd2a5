// Generated from Rust by the app's binding test (src-tauri/src/bindings.rs); do not edit.

/** Target languages offered (BCP-47), with their names in that language. */
export const LANGUAGES: readonly { code: string; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'zh-Hans', label: '中文（简体）' },
  { code: 'zh-Hant', label: '中文（繁體）' },
  { code: 'de', label: 'Deutsch' },
  { code: 'fr', label: 'Français' },
  { code: 'es', label: 'Español' },
  { code: 'ja', label: '日本語' },
  { code: 'ko', label: '한국어' },
  { code: 'ru', label: 'Русский' },
  { code: 'pt', label: 'Português' },
  { code: 'it', label: 'Italiano' },
];

/** Events the app sends to the webview. */
export const EVENTS = {
  imagesStored: 'images-stored',
  libraryChanged: 'library-changed',
  translationsStored: 'translations-stored',
  syncFinished: 'sync-finished',
} as const;
