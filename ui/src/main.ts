// Marks (dz:…) split the start-up for the benchmark (src-tauri/scripts/bench-startup.sh reads
// them through its probe); they cost a few microseconds and report nothing by themselves.
performance.mark('dz:script');
import './app.css';
import { boot } from './lib/startup';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
void boot(target);
