// Marks (dz:…) split the start-up for the benchmark (src-tauri/scripts/bench-startup.sh reads
// them through its probe); they cost a few microseconds and report nothing by themselves.
performance.mark('dz:script');
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
const app = mount(App, { target });
performance.mark('dz:mounted');
export default app;
