/** Upstream: pkg/proxy/util/linebuffer.go (LineBuffer): one rule per line, words joined by spaces. */
export class LineBuffer {
  private readonly lines: string[] = [];

  /** Each argument is a word or a list of words, as upstream's variadic Write. */
  write(...args: (string | string[])[]): void {
    this.lines.push(args.flat().join(' '));
  }

  get length(): number {
    return this.lines.length;
  }

  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}

// Upstream: pkg/util/iptables/save.go (MakeChainLine)
export function makeChainLine(chain: string): string {
  return `:${chain} - [0:0]`;
}
