import type { ScriptChoice } from './bindings';

/** Toolbar order, also the order `s` cycles through. */
export const SCRIPT_ORDER: ScriptChoice[] = ['original', 'hans', 'hant', 'tw', 'hk'];

export function nextScript(current: ScriptChoice): ScriptChoice {
  const i = SCRIPT_ORDER.indexOf(current);
  return SCRIPT_ORDER[(i + 1) % SCRIPT_ORDER.length];
}
