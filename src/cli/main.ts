import { Command, CommanderError } from 'commander';
import { isLifeCircleError } from '../errors.js';
import { registerDemoCommand } from './demo-command.js';
import { registerIsochroneCommand, registerNetworkCommands } from './network-commands.js';
import { registerAccessCommands } from './access-commands.js';
import { registerServeCommands } from './serve-commands.js';
import { registerStartCommand } from './start-command.js';
import { registerPlansCommands } from './plans-commands.js';
import { registerInspectionsCommands } from './inspections-commands.js';
import { registerRegistryCommands } from './registry-commands.js';
import { registerStoreCommands } from './store-commands.js';
import { registerCityCommands } from './city-commands.js';
import { registerWorkerCommand } from './worker-command.js';
import { registerReportCommands } from './report-commands.js';

/**
 * `lifecircle <verb>`: every verb has --help. Expected failures (LifeCircleError) print one line naming the
 * file or field and exit 1; anything else is a bug and keeps its stack trace.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('lifecircle')
    .description('LifeCircle (生活圈): 15-minute life circles on real walking networks')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerNetworkCommands(program);
  registerIsochroneCommand(program);
  registerDemoCommand(program);
  registerAccessCommands(program);
  registerServeCommands(program);
  registerStartCommand(program);
  registerPlansCommands(program);
  registerInspectionsCommands(program);
  registerCityCommands(program);
  registerRegistryCommands(program);
  registerStoreCommands(program);
  registerWorkerCommand(program);
  registerReportCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isLifeCircleError(error)) {
      process.stderr.write(`lifecircle: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
