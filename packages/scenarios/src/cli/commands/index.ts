/**
 * Every `meshsim` command, in the order `meshsim --help` lists them. A command module exports a
 * {@link CommandModule}; add new ones here.
 */
import type { CommandModule } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { checkCommand } from './check.js';
import { classroomCommand } from './classroom.js';
import { diffCommand } from './diff.js';
import { iptablesCommand } from './iptables.js';
import { kubeInjectCommand } from './kubeInject.js';
import { proxyConfigCommand } from './proxyConfig.js';
import { routeCommand } from './route.js';
import { runCommand } from './run.js';
import { scenariosCommand } from './scenarios.js';

export const commands: readonly CommandModule[] = [
  runCommand,
  diffCommand,
  scenariosCommand,
  analyzeCommand,
  kubeInjectCommand,
  iptablesCommand,
  proxyConfigCommand,
  routeCommand,
  checkCommand,
  classroomCommand,
];
