import type { ViewMode } from './bindings';

/** Reader layouts, in the order `m` cycles through them. */
export const MODES: { value: ViewMode; label: string; title: string }[] = [
  { value: 'columns', label: 'Side by side', title: 'Two columns, paragraph beside paragraph' },
  { value: 'interleaved', label: 'Interleaved', title: 'Translation under each paragraph' },
  { value: 'original', label: 'Original', title: 'Original only' },
  { value: 'translation', label: 'Translation', title: 'Translation only (original where there is none)' },
];

export function nextMode(current: ViewMode): ViewMode {
  const i = MODES.findIndex((m) => m.value === current);
  return MODES[(i + 1) % MODES.length].value;
}
