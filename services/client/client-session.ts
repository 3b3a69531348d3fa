import { askServerAddress, type AddressAnswers } from './address-prompts.ts';
import { CommandLoop, COMMANDS_HELP, type CommandLoopOptions } from './command-loop.ts';
import { ControlConnection } from './control-connection.ts';
import { ClientError, reasonOf } from './errors.ts';
import type { LineInput } from './line-input.ts';
import type { TerminalOutput } from './terminal-output.ts';

export interface SessionOptions extends CommandLoopOptions {
  /** The address flags: they answer the prompts of the first round only. */
  address: AddressAnswers;
  /** Ask `get_users` while an answer is overdue (reply-nudger.ts); never with the seed's recovery. */
  nudge?: boolean;
}

/** The seed's outer loop: ask for addresses, connect, run commands, and after a disconnect start over. */
export class ClientSession {
  private loop: CommandLoop | null = null;

  constructor(
    private readonly input: LineInput,
    private readonly output: TerminalOutput,
    private readonly options: SessionOptions,
  ) {}

  /** Resolves with the exit code once stdin ends. */
  async run(): Promise<number> {
    let preset: AddressAnswers = this.options.address;
    let name = this.options.name;
    for (;;) {
      const print = (line: string) => this.output.line(line);
      const address = await askServerAddress((prompt) => this.input.ask(prompt), print, preset);
      preset = {};
      if (address === null) return 0;
      let connection: ControlConnection;
      try {
        const nudges = this.options.nudge !== false && this.options.recovery?.mode !== 'seed';
        connection = await ControlConnection.connect(address, { nudges });
      } catch (error) {
        print(
          error instanceof ClientError
            ? error.message
            : `Can't connect to ${address.host}:${address.port}: ${reasonOf(error)}`,
        );
        continue;
      }
      print(
        `Connected to ${connection.remoteAddress}:${connection.remotePort} from ${connection.localAddress}:${connection.localPort}. ${COMMANDS_HELP}`,
      );
      this.loop = new CommandLoop(connection, this.input, this.output, { ...this.options, name });
      name = undefined;
      const end = await this.loop.run();
      this.loop = null;
      connection.close();
      if (end === 'eof') return 0;
    }
  }

  async interrupt(): Promise<void> {
    await this.loop?.interrupt();
  }
}
