/**
 * The list of CLI commands. Each group keeps its commands in its own file and is added here.
 */
import type { CliCommand } from '../command';
import { demoDataCommand } from './demo-data';
import { auditCommands } from './audit';
import { cardCommands } from './card';
import { cardStatusCommand } from './card-status';
import { configCheckCommand } from './config';
import { reportCommands } from './report';
import { recordsCommands } from './records';
import { sandboxCommand } from './sandbox';
import { servicesCheckCommand } from './services';

export function commandList(): CliCommand[] {
  return [
    demoDataCommand,
    ...auditCommands,
    ...cardCommands,
    cardStatusCommand,
    configCheckCommand,
    ...reportCommands,
    sandboxCommand,
    servicesCheckCommand,
    ...recordsCommands,
  ];
}
