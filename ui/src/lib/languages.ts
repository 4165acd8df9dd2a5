import { LANGUAGES } from './generated';

/** Target languages offered in the toolbar (BCP-47), with their names in that language. */
export const TARGETS: readonly { code: string; label: string }[] = LANGUAGES;

export function targetLabel(code: string): string {
  return TARGETS.find((t) => t.code === code)?.label ?? code;
}
