// Reading appearance: CSS custom properties on <html> (set through the CSSOM, which the CSP
// allows) and a `data-theme` override of prefers-color-scheme.

export interface Appearance {
  theme: 'system' | 'light' | 'dark';
  font: keyof typeof FONTS;
  /** Reader font size in px. */
  size: number;
  /** Line width of the single-column modes in em (two columns use twice this). */
  width: number;
  /** Space after each paragraph in em. */
  spacing: number;
  /** Line height. */
  leading: number;
}

// Sans by default: the UI's own CJK family, so a start loads one CJK face (regular and bold)
// instead of two; the serif (宋体 / 明體) costs about 8 MB more of the webview's memory
// (docs/BENCHMARKS.md, issue 9) and is one choice away in Settings → Appearance.
export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', font: 'sans', size: 17, width: 38, spacing: 1, leading: 1.85 };

// Each stack names Simplified, Latin, Traditional, Japanese and Korean faces commonly
// installed on Linux, macOS and Windows, so every block finds a matching font. `hant` is the
// same family with the Traditional faces first: the same code point is drawn differently in
// Taiwan and mainland fonts, and Traditional text (lang zh-Hant/zh-TW/zh-HK) should get its own.
// The CJK family of Linux desktops (Noto / Source Han) comes first: every family the webview
// looks for before one that is installed costs fontconfig look-ups for each size and weight,
// about 0.2 s of the first frame (docs/BENCHMARKS.md, issue 9); its Latin letters are Source
// Sans / Source Serif. Systems without it go on to their own faces as before.
export const FONTS = {
  serif: {
    label: 'Serif (宋体 / 明體)',
    stack:
      "'Noto Serif CJK SC', 'Source Han Serif SC', 'Source Serif 4', 'Noto Serif', Georgia, 'Songti SC', 'SimSun', 'Noto Serif CJK TC', 'Source Han Serif TC', 'Songti TC', 'PMingLiU', 'Noto Serif CJK JP', 'Noto Serif CJK KR', serif",
    hant: "'Noto Serif CJK TC', 'Source Han Serif TC', 'Source Serif 4', 'Noto Serif', Georgia, 'Songti TC', 'PMingLiU', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', 'SimSun', serif",
  },
  sans: {
    label: 'Sans (黑体 / 黑體)',
    stack:
      "'Noto Sans CJK SC', 'Source Han Sans SC', system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK TC', 'PingFang TC', 'Microsoft JhengHei', 'Noto Sans CJK JP', 'Noto Sans CJK KR', sans-serif",
    hant: "'Noto Sans CJK TC', 'Source Han Sans TC', system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'PingFang TC', 'Microsoft JhengHei', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
  },
  kai: {
    label: 'Kai (楷体 / 楷書)',
    stack: "Georgia, 'LXGW WenKai', 'Kaiti SC', 'STKaiti', 'KaiTi', 'AR PL UKai CN', 'BiauKai', 'DFKai-SB', 'AR PL UKai TW', serif",
    hant: "Georgia, 'LXGW WenKai TC', 'BiauKai', 'DFKai-SB', 'AR PL UKai TW', 'Kaiti TC', 'LXGW WenKai', 'Kaiti SC', 'KaiTi', serif",
  },
  mono: {
    label: 'Monospace',
    stack: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK SC', 'Noto Sans Mono CJK TC', monospace",
    hant: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK TC', 'Noto Sans Mono CJK SC', monospace",
  },
} as const;

export function applyAppearance(a: Appearance, root: HTMLElement = document.documentElement): void {
  if (a.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = a.theme;
  const font = FONTS[a.font] ?? FONTS.serif;
  root.style.setProperty('--read-font', font.stack);
  root.style.setProperty('--read-font-hant', font.hant);
  root.style.setProperty('--read-size', `${a.size}px`);
  root.style.setProperty('--read-width', `${a.width}em`);
  root.style.setProperty('--para-space', `${a.spacing}em`);
  root.style.setProperty('--leading', String(a.leading));
}
