import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTrafficSplit } from '@meshsim/viz';
import { renderReport } from '@meshsim/viz/report';

const trafficSplit = buildTrafficSplit({
  routes: [
    {
      id: 'default/reviews#0',
      label: 'VirtualService default/reviews http[0]',
      destinations: [{ id: 'reviews|v1', label: 'reviews v1', weight: 100 }],
    },
  ],
  flows: [{ source: 'default/productpage-v1', route: 'default/reviews#0', destination: 'reviews|v1', count: 250 }],
});
const html = renderReport({ title: 'reviews <v1 only>', variants: [{ name: 'baseline', summary: [], trafficSplit }] });
const file = join(tmpdir(), 'meshsim-report.html');
writeFileSync(file, html); // open it in a browser: no server, no network
console.log(
  html.match(/<script\b/g)?.length,
  'inline scripts;',
  html.includes('<title>reviews &lt;v1 only&gt;</title>') ? 'title escaped' : 'title NOT escaped',
);
