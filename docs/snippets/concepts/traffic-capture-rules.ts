import { buildIstioRules, parseIstioIptablesArgs } from '@meshsim/sim-core/netfilter';

// istio-init's arguments, as the sidecar injection template renders them.
const argv = ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT'];
argv.push('-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020');

const rules = buildIstioRules(parseIstioIptablesArgs(argv));
console.log(rules.v4.trimEnd()); // what istio-iptables feeds to `iptables-restore --noflush`
