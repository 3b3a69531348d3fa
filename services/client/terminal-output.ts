import type { Writable } from 'node:stream';

/** Draws a prompt on a TTY so that what the user typed so far survives a redraw. */
export type PromptRenderer = (prompt: string) => void;

/**
 * Where the client writes. On a TTY a prompt stays on the line the user types on and a
 * line printed meanwhile goes above it; on a pipe every prompt is a line of its own
 * (ending in ': ') so that a program reading stdout can wait for it.
 */
export class TerminalOutput {
  private activePrompt: string | null = null;
  private renderer: PromptRenderer | null = null;

  constructor(
    readonly stream: Writable,
    readonly isTty: boolean,
  ) {}

  useRenderer(renderer: PromptRenderer): void {
    this.renderer = renderer;
  }

  line(text: string): void {
    if (this.isTty && this.activePrompt !== null) {
      this.stream.write(`\r\x1b[K${text}\n`);
      this.draw(this.activePrompt);
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  prompt(text: string): void {
    if (!this.isTty) {
      this.stream.write(`${text}\n`);
      return;
    }
    this.activePrompt = text;
    this.draw(text);
  }

  /** The prompt was answered: nothing to redraw any more. */
  answered(): void {
    this.activePrompt = null;
  }

  private draw(prompt: string): void {
    if (this.renderer) this.renderer(prompt);
    else this.stream.write(prompt);
  }
}
