// Target languages (BCP-47) offered in the toolbar and the feed dialog, named in their own
// language. The list itself comes from Rust (generated.ts), so the UI offers exactly what the
// core accepts.
import { LANGUAGES } from './generated';

export { LANGUAGES };

/** The language's own name, or the code when it is not one of ours. */
export function targetLabel(code: string): string {
  return LANGUAGES.find((t) => t.code === code)?.label ?? code;
}

/** Whether the core offers `code` as a target. */
export function isTarget(code: string): boolean {
  return LANGUAGES.some((t) => t.code === code);
}
