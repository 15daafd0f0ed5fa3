// temp: N paced streams through a gateway; heap snapshot in the middle
import { runPacedStreams } from '../load-tests/bench-load.js';
import { spawnBenchServer, startGateway, rssMb } from '../load-tests/bench-processes.js';
const n = Number(process.argv[2] ?? 1000);
const kind = (process.argv[3] ?? 'plain') as 'plain' | 'full';
const upstream = await spawnBenchServer(['mock', '--pace', '1000']);
const gw = await startGateway(upstream.url, kind);
await new Promise((r) => setTimeout(r, 1000));
console.log('rest', rssMb(gw.pid).toFixed(0));
const body = JSON.stringify({ model: kind === 'full' ? 'auto' : 'bench-model', max_tokens: 256, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'In src/cart/total.ts the function sumPrices(items) sometimes returns NaN. Find the bug.' }] });
let peak = 0;
const t = setInterval(() => (peak = Math.max(peak, rssMb(gw.pid))), 200);
if (process.argv[4]) setTimeout(() => process.kill(gw.pid, 'SIGUSR2'), 9000);
const res = await runPacedStreams(gw.url, body, n, 3000, 15);
clearInterval(t);
console.log(JSON.stringify(res), 'peak', peak.toFixed(0));
await gw.stop(); await upstream.stop();
process.exit(0);
