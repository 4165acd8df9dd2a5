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
  window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {
    event: 'bench-first-paint',
    payload: [performance.timeOrigin + performance.now(), performance.timeOrigin],
  });
}
function check() {
  if (reported) return;
  const el = document.querySelector(SELECTOR);
  if (!el || !el.textContent.trim()) return;
  reported = true;
  observer.disconnect();
  requestAnimationFrame(() => requestAnimationFrame(painted));
}
const observer = new MutationObserver(check);
observer.observe(document, { childList: true, subtree: true, characterData: true });
