// Start-up benchmark hook (src-tauri/scripts/bench-startup.sh), injected only when the app is
// started with DUIZHAO_BENCH_STARTUP set. It waits for the first real content (the element
// SELECTOR matches, with text) and, one frame after it was drawn (a requestAnimationFrame
// inside another runs after the frame that showed it), emits the wall-clock time of that
// moment to the app, which prints it on stderr. The bare Tauri app of the benchmark runs this
// same file, so both are timed alike.
const SELECTOR = '__SELECTOR__';
let reported = false;
// Payload: [first paint, start of the page's navigation] in Unix ms; the second splits the time
// to first paint into the app's native start (up to the webview loading the page) and the page's.
function painted() {
  const paint = performance.now();
  const invoke = window.__TAURI_INTERNALS__.invoke;
  invoke('plugin:event|emit', {
    event: 'bench-first-paint',
    payload: [performance.timeOrigin + paint, performance.timeOrigin],
  });
  // Where the page's part went, in ms after the page's start: the navigation's own milestones,
  // each script and style sheet fetched, and the marks the UI sets (performance.mark('dz:…')).
  const at = {};
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) {
    for (const k of ['responseEnd', 'domInteractive', 'domContentLoadedEventEnd', 'loadEventEnd']) {
      at['nav:' + k] = nav[k];
    }
  }
  for (const r of performance.getEntriesByType('resource')) {
    at['res:' + r.name.replace(/^.*\//, '')] = [r.startTime, r.responseEnd];
  }
  for (const p of performance.getEntriesByType('paint')) at['paint:' + p.name] = p.startTime;
  for (const m of performance.getEntriesByType('mark')) at[m.name] = m.startTime;
  at['probe:painted'] = paint;
  invoke('plugin:event|emit', { event: 'bench-marks', payload: at });
}
function check() {
  if (reported) return;
  const el = document.querySelector(SELECTOR);
  if (!el || !el.textContent.trim()) return;
  reported = true;
  observer.disconnect();
  if (window.performance && performance.mark) performance.mark('probe:content');
  requestAnimationFrame(() => requestAnimationFrame(painted));
}
const observer = new MutationObserver(check);
observer.observe(document, { childList: true, subtree: true, characterData: true });
