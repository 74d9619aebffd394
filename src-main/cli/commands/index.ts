/**
 * The list of CLI commands. Each group keeps its commands in its own file and is added here.
 */
import type { CliCommand } from '../command';
import { demoDataCommand } from './demo-data';
import { auditCommands } from './audit';
import { cardCommands } from './card';
import { cardStatusCommand } from './card-status';
import { recordsCommands } from './records';

export function commandList(): CliCommand[] {
  return [demoDataCommand, ...auditCommands, ...cardCommands, cardStatusCommand, ...recordsCommands];
}
