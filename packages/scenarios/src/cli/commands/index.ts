/**
 * Every `meshsim` command, in the order `meshsim --help` lists them. A command module exports a
 * {@link CommandModule}; add new ones here.
 */
import type { CommandModule } from '../command.js';

export const commands: readonly CommandModule[] = [];
