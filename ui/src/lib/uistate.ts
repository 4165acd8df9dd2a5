// Small JSON documents kept by Rust through get_ui_state/set_ui_state. Reading never throws
// (a missing or malformed value gives the fallback); writes are debounced per key.
import { getUiState, setUiState } from './api';

export async function loadState<T extends object>(key: string, fallback: T): Promise<T> {
  try {
    const text = await getUiState(key);
    if (!text) return fallback;
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { ...fallback, ...(value as Partial<T>) };
  } catch {
    // A broken or missing value is not worth bothering the reader with.
  }
  return fallback;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function saveState(key: string, value: unknown, delay = 300): void {
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      setUiState(key, JSON.stringify(value)).catch(() => {});
    }, delay),
  );
}
