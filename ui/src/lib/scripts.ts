import type { ReadingChoice, ScriptChoice } from './bindings';

/** Toolbar order, also the order `s` cycles through. */
export const SCRIPT_ORDER: ScriptChoice[] = ['original', 'hans', 'hant', 'tw', 'hk'];

export function nextScript(current: ScriptChoice): ScriptChoice {
  const i = SCRIPT_ORDER.indexOf(current);
  return SCRIPT_ORDER[(i + 1) % SCRIPT_ORDER.length];
}

/** Readings over the text, in toolbar order (also the order `y` cycles through). */
export const READING_ORDER: ReadingChoice[] = ['off', 'pinyin', 'zhuyin'];

export function nextReading(current: ReadingChoice): ReadingChoice {
  const i = READING_ORDER.indexOf(current);
  return READING_ORDER[(i + 1) % READING_ORDER.length];
}
