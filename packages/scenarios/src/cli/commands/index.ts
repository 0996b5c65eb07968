/**
 * Every `meshsim` command, in the order `meshsim --help` lists them. A command module exports a
 * {@link CommandModule}; add new ones here.
 */
import type { CommandModule } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { iptablesCommand } from './iptables.js';
import { kubeInjectCommand } from './kubeInject.js';
import { proxyConfigCommand } from './proxyConfig.js';
import { routeCommand } from './route.js';

export const commands: readonly CommandModule[] = [
  analyzeCommand,
  kubeInjectCommand,
  iptablesCommand,
  proxyConfigCommand,
  routeCommand,
];
