// Prints a bench entry's result as a table; shared by bench/run.mjs and the entries run alone.

/** Prints an entry's rows as a table; the columns and their number formats come from the entry. */
export function printResult(result) {
  console.log(`\n${result.title}`);
  for (const line of result.description ?? []) console.log(`  ${line}`);
  const header = result.columns.map((column) => column.label);
  const body = result.rows.map((row) =>
    result.columns.map((column) => formatCell(row[column.key], column)),
  );
  const widths = header.map((label, index) =>
    Math.max(label.length, ...body.map((cells) => cells[index].length)),
  );
  const line = (cells) =>
    cells
      .map((cell, index) =>
        result.columns[index].align === 'left'
          ? cell.padEnd(widths[index])
          : cell.padStart(widths[index]),
      )
      .join('  ');
  console.log(`\n  ${line(header)}`);
  console.log(`  ${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const cells of body) console.log(`  ${line(cells)}`);
  for (const note of result.notes ?? []) console.log(`  ${note}`);
}

function formatCell(value, column) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'number') return String(value);
  const text = value.toLocaleString('en-US', {
    minimumFractionDigits: column.digits ?? 0,
    maximumFractionDigits: column.digits ?? 0,
  });
  return `${column.prefix ?? ''}${text}${column.suffix ?? ''}`;
}
