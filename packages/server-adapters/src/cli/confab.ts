import { runConfabCommand } from './confab-command';

process.exitCode = await runConfabCommand(process.argv.slice(2));
