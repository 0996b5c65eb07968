import { AppReplica, compileBehaviour, ms, s, Simulation } from '@meshsim/sim-core';
import type { OutboundPort } from '@meshsim/sim-core';

const sim = new Simulation();
// Stand-in for the pod's sidecar: details answers in 2 ms, reviews never answers (a 7 s fault delay).
const sidecar: OutboundPort = {
  send(req, done) {
    console.log(
      `${sim.now / 1000} ms  ${req.method} http://${req.authority}${req.path}  end-user=${req.headers['end-user']}`,
    );
    const answer = req.authority.startsWith('details')
      ? sim.schedule(ms(2), () => done({ kind: 'response', status: 200, bodyBytes: 178 }))
      : undefined;
    return { cancel: () => answer?.cancel() };
  },
};
const productpage = new AppReplica({
  sim,
  namespace: 'default',
  pod: 'productpage-v1-0',
  outbound: sidecar,
  behaviour: compileBehaviour({
    serviceTime: { kind: 'constant', value: ms(1) },
    calls: [
      { kind: 'call', call: { authority: 'details:9080', path: '/details/0', timeout: s(3), onFailure: 'ignore' } },
      // productpage.py getProductReviews: `for _ in range(2)` with `timeout=3.0`
      {
        kind: 'call',
        call: { authority: 'reviews:9080', path: '/reviews/0', timeout: s(3), attempts: 2, onFailure: 'ignore' },
      },
    ],
  }),
});
productpage.handle(
  {
    method: 'GET',
    path: '/productpage',
    authority: 'productpage:9080',
    headers: { 'end-user': 'jason' },
    bodyBytes: 0,
  },
  (res) => console.log(`${sim.now / 1000} ms  productpage answers ${res.kind === 'response' ? res.status : 'reset'}`),
);
sim.run();
