/** Target languages offered in the toolbar (BCP-47), with their names in that language. */
export const TARGETS: { code: string; label: string }[] = [
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

export function targetLabel(code: string): string {
  return TARGETS.find((t) => t.code === code)?.label ?? code;
}
