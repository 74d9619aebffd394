/**
 * The list of CLI commands. Each group keeps its commands in its own file and is added here.
 */
import type { CliCommand } from '../command';

export function commandList(): CliCommand[] {
  return [];
}
