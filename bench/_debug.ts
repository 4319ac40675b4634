import type { Protocol } from 'devtools-protocol';
import { startBenchBrowser } from './benchBrowser.ts';
const bench = await startBenchBrowser();
try {
  const agg = new Map<string, number>();
  let totalMs = 0;
  for (let i = 0; i < 8; i++) {
    const page = await bench.open('blank.html');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    await page.goto(`chrome-extension://${bench.extension.id}/popup.html`);
    await page.getByRole('button', { name: 'Look up' }).waitFor();
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Protocol.Profiler.Profile };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const ts = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, k) => {
      const n = byId.get(id)!;
      const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      agg.set(name, (agg.get(name) ?? 0) + (ts[k] ?? 0));
      totalMs += (ts[k] ?? 0) / 1000;
    });
    await page.close();
  }
  console.log('profiled ms total', totalMs.toFixed(0));
  console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, us]) => `${(us / 8000).toFixed(2)} ms/run  ${n}`).join('\n'));
} finally {
  await bench.close();
}
