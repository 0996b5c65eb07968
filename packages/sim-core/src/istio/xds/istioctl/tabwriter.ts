/**
 * Go's `text/tabwriter` as istioctl configures it (`tabwriter.NewWriter(out, 0, 8, padding, ' ', 0)`):
 * tab-separated cells become columns whose width is the widest cell of the column block plus `padding`;
 * the last cell of a line is not a column and is not padded. A column block is a run of consecutive
 * lines that have a cell in that column (Go's `format`), so lines with fewer cells split blocks exactly as
 * in Go.
 */

/** Renders `text` (lines ending in `\n`, cells separated by `\t`) as Go's tabwriter would. */
export function tabwrite(text: string, padding: number, minwidth = 0): string {
  const raw = text.split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const lines = raw.map((l) => l.split('\t'));
  const widths: number[] = [];
  let out = '';
  const width = (s: string): number => [...s].length;
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = lines[i] as string[];
      let s = '';
      line.forEach((cell, j) => {
        s += cell;
        if (j < widths.length && j < line.length - 1) s += ' '.repeat(Math.max(0, (widths[j] as number) - width(cell)));
      });
      out += `${s}\n`;
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i] as string[]).length - 1) continue;
      writeLines(line0, i);
      line0 = i;
      let w = minwidth;
      for (; i < line1; i++) {
        const line = lines[i] as string[];
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column] as string) + padding);
      }
      widths.push(w);
      format(line0, i);
      widths.pop();
      line0 = i;
      i--; // the outer loop's i++ revisits the line that ended the block
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out;
}
