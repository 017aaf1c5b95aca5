/**
 * Splits a migration file into single statements. libSQL's execute() runs one statement per
 * call, so a multi-statement file must be split to apply every statement inside one
 * transaction. Understands quotes, comments and the BEGIN…END body of CREATE TRIGGER.
 */
export function splitSqlStatements(source: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === '-' && next === '-') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
      current += '\n';
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      let j = i + 1;
      while (j < n) {
        if (source[j] === close) {
          if (close !== ']' && source[j + 1] === close) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      current += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      if (isCompleteStatement(current)) {
        const trimmed = current.trim();
        if (trimmed) statements.push(trimmed);
        current = '';
      } else {
        current += ch;
      }
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  const rest = current.trim();
  if (rest) statements.push(rest);
  return statements;
}

function isCompleteStatement(text: string): boolean {
  const trimmed = text.trim();
  if (!/^CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(trimmed)) return true;
  // A trigger body holds its own semicolons; the statement ends only after its END.
  return /\bEND$/i.test(trimmed);
}
