/** Every single-key shortcut, shown in tooltips, the help dialog and the settings page. */
export const SHORTCUTS: { keys: string[]; action: string }[] = [
  { keys: ['j', 'k'], action: 'Next / previous article' },
  { keys: ['n', 'p'], action: 'Next / previous paragraph in the reader' },
  { keys: ['Space', 'Shift+Space'], action: 'Page down / up in the reader' },
  { keys: ['s'], action: 'Cycle Chinese script (原文 → 简 → 繁 → 臺 → 港)' },
  { keys: ['y'], action: 'Cycle readings over Chinese text (off → pinyin → zhuyin)' },
  { keys: ['d'], action: 'Look up the first Chinese word of the focused paragraph (then ← → for the next words)' },
  { keys: ['v'], action: 'Open the vocabulary list' },
  { keys: ['m'], action: 'Cycle reader mode (side by side → interleaved → original → translation)' },
  { keys: ['t'], action: 'Translate the article (again: cancel)' },
  { keys: ['r'], action: 'Refresh feeds' },
  { keys: ['/'], action: 'Search' },
  { keys: ['?'], action: 'Show this list' },
  { keys: ['Esc'], action: 'Close a dialog' },
];
