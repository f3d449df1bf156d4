import { ChainError, HotkeyError } from '#chain';
import { flagHelp, UsageError } from './args.js';
import { EXIT, type CliIo, type Command } from './command.js';

const overview = (commands: readonly Command[]): string =>
  ['usage: kinitro <command> [flags]', '', 'commands:', ...commands.map((c) => `  ${c.path.join(' ').padEnd(24)} ${c.summary}`)].join('\n');

const help = (command: Command): string => [`usage: kinitro ${command.path.join(' ')} [flags]`, '', command.summary, '', flagHelp(command.flags)].join('\n');

/** The longest command path the arguments start with. */
const select = (commands: readonly Command[], argv: readonly string[]): Command | undefined =>
  [...commands].sort((a, b) => b.path.length - a.path.length).find((c) => c.path.every((word, i) => argv[i] === word));

/**
 * Runs one command line and returns its exit code: 0 done, 1 the chain or a file refused, 2 a usage
 * error (named flag), 3 nothing found.
 */
export const runCli = async (commands: readonly Command[], argv: readonly string[], io: CliIo): Promise<number> => {
  const command = select(commands, argv);
  if (!command) {
    const wanted = argv.filter((a) => !a.startsWith('--')).join(' ');
    if (wanted && wanted !== 'help') io.err(`kinitro: unknown command "${wanted}"`);
    io.err(overview(commands));
    return wanted && wanted !== 'help' ? EXIT.usage : EXIT.ok;
  }
  const rest = argv.slice(command.path.length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(help(command));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`kinitro ${command.path.join(' ')}: ${error.message}`);
      io.err(`run "kinitro ${command.path.join(' ')} --help" for its flags`);
      return EXIT.usage;
    }
    if (error instanceof ChainError || error instanceof HotkeyError) {
      io.err(`kinitro ${command.path.join(' ')}: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
};
