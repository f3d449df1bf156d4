import { Command as Program, CommanderError, Option } from 'commander';
import { flagNotes, flagValue, listValue, UsageError, withDefaults } from './args.js';
import { EXIT, Failure, type CliIo, type Command } from './command.js';
// The file, not the #platform barrel: the barrel loads Nest, and `--help` must start at once.
import { PLATFORM_VERSION } from '../../../libs/platform/src/version.js';

/** What the command groups (the words before a command's own) are for. */
const GROUPS: Record<string, string> = {
  miner: 'publish an agent, commit it on chain, and follow what the platform makes of it',
  dlq: 'the dead-letter stream: what consumers gave up on, and re-driving it once fixed',
  projector: 'the read models: rebuild them from the log, see how far behind they are',
  namespace: 'namespaces left on NATS and Postgres (the main job --keep, staging copies)',
  audit: 're-derive what the platform published from its event log',
  validator: "set up a third-party validator operator's credentials",
  admin: "the platform owner's tasks",
};

const lines = (write: (line: string) => void) => (text: string) => write(text.replace(/\n$/, ''));

const options = (command: Command): Option[] =>
  Object.entries(command.flags).map(([name, spec]) => {
    if (spec.kind === 'switch') return new Option(`--${name}`, flagNotes(spec));
    const option = new Option(`--${name} <value>`, flagNotes(spec));
    return spec.kind === 'list'
      ? option.argParser((value: string, previous: string[] | undefined) => listValue(name, value, previous))
      : option.argParser((value: string, previous: string | undefined) => flagValue(name, value, previous));
  });

/** `kinitro miner commit` for the commander command of `commit`. */
const pathOf = (node: Program): string => (node.parent ? `${pathOf(node.parent)} ${node.name()}` : node.name());

/**
 * The `kinitro` program: one commander command per path word, each reporting its own usage errors.
 * `selected` hears which command the arguments chose, `done` its exit code.
 */
const program = (commands: readonly Command[], io: CliIo, selected: (path: string) => void, done: (code: number) => void): Program => {
  const root = new Program('kinitro').description('Kinitro command line').version(PLATFORM_VERSION, '-V, --version', 'print the version');
  const configure = (node: Program) =>
    node
      .exitOverride()
      .hook('preSubcommand', (_, sub) => selected(pathOf(sub)))
      .helpOption('-h, --help', 'show this help')
      .configureOutput({
        writeOut: lines(io.out),
        writeErr: lines(io.err),
        outputError: (text, write) => write(text.replace(/^error: /, `${pathOf(node)}: `)),
      });
  configure(root).showHelpAfterError();
  for (const command of commands) {
    let parent = root;
    for (const word of command.path.slice(0, -1)) {
      parent = parent.commands.find((c) => c.name() === word) ?? configure(parent.command(word).description(GROUPS[word] ?? '')).showHelpAfterError();
    }
    const leaf = configure(parent.command(command.path.at(-1)!).description(command.summary));
    leaf.showHelpAfterError(`(run "${pathOf(leaf)} --help" for its flags)`);
    for (const option of options(command)) leaf.addOption(option);
    leaf.action(async (parsed: Record<string, string | string[] | boolean | undefined>) => {
      const byName = Object.fromEntries(leaf.options.map((o) => [o.long!.slice(2), parsed[o.attributeName()]]));
      done(await command.run(withDefaults(command.flags, byName, io.env), io));
    });
  }
  return root;
};

/**
 * --help, --version and `kinitro help …` end parsing with a CommanderError too. Commander's own exit code for
 * a shown help follows the global process.exitCode, so it is decided here: help asked for is 0, help shown
 * because a group was given without its command (`kinitro miner`) is a usage error; commander printed the rest.
 */
const commanderExit = (error: CommanderError, argv: readonly string[]): number => {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  if (error.code === 'commander.help') return argv.includes('help') ? EXIT.ok : EXIT.usage;
  return EXIT.usage;
};

/** The message a known refusal prints, with its exit code; anything else is a bug and is rethrown. */
const refusal = (error: unknown, path: string, io: CliIo): number => {
  if (error instanceof UsageError) {
    io.err(`${path}: ${error.message}`);
    io.err(`(run "${path} --help" for its flags)`);
    return EXIT.usage;
  }
  if (error instanceof Failure) {
    io.err(`${path}: ${error.message}`);
    return EXIT.failed;
  }
  throw error;
};

/**
 * Runs one command line and returns its exit code: 0 done (and --help, --version), 1 the chain, the Hub,
 * the API or a file refused, 2 a usage error naming the flag (a bare `kinitro` or `kinitro miner` too),
 * 3 nothing found.
 */
export const runCli = async (commands: readonly Command[], argv: readonly string[], io: CliIo): Promise<number> => {
  let code: number = EXIT.ok;
  let path = 'kinitro';
  const cli = program(
    commands,
    io,
    (p) => (path = p),
    (c) => (code = c),
  );
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, argv);
    return refusal(error, path, io);
  }
};
