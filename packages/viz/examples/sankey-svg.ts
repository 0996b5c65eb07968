import { select } from 'd3';
import { Window } from 'happy-dom';
import { buildTrafficSplit, formatShare, sankeyChart } from '@meshsim/viz';

// 1,000 requests on a 90/10 canary route, as a run observed them.
const split = buildTrafficSplit({
  routes: [
    {
      id: 'default/reviews#0',
      label: 'VirtualService default/reviews http[0]',
      destinations: [
        { id: 'reviews|v1', label: 'reviews v1', weight: 90 },
        { id: 'reviews|v2', label: 'reviews v2', weight: 10 },
      ],
    },
  ],
  flows: [
    {
      source: 'default/productpage-v1',
      route: 'default/reviews#0',
      destination: 'reviews|v1',
      pod: 'default/reviews-v1-0',
      count: 897,
    },
    {
      source: 'default/productpage-v1',
      route: 'default/reviews#0',
      destination: 'reviews|v2',
      pod: 'default/reviews-v2-0',
      count: 103,
    },
  ],
});
for (const l of split.links.filter((x) => x.declaredShare !== undefined)) {
  console.log(
    `${l.target}: observed ${formatShare(l.observedShare)}, declared ${formatShare(l.declaredShare ?? 0, 0)}, consistent: ${l.consistent}`,
  );
}

// Draw it into any element: here a DOM shim, in a page `select('#split')`.
const div = new Window().document.createElement('div');
select(div as unknown as HTMLElement)
  .datum(split)
  .call(sankeyChart().width(720));
const svg = div.querySelector('svg');
console.log(svg?.getAttribute('viewBox'), svg?.querySelectorAll('.node').length, 'nodes');
