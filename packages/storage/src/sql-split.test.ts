import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from './sql-split.js';

describe('splitSqlStatements', () => {
  it('splits on semicolons outside quotes and comments', () => {
    const sql = `CREATE TABLE a (x TEXT DEFAULT 'a;b'); -- trailing; comment
      /* block; comment */ INSERT INTO a VALUES ("q;"); INSERT INTO a VALUES ('it''s;');`;
    expect(splitSqlStatements(sql)).toEqual([
      "CREATE TABLE a (x TEXT DEFAULT 'a;b')",
      'INSERT INTO a VALUES ("q;")',
      "INSERT INTO a VALUES ('it''s;')",
    ]);
  });

  it('keeps a trigger body with its own semicolons in one statement', () => {
    const sql = `CREATE TABLE t (x); CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
      INSERT INTO log VALUES (new.x); UPDATE c SET n = n + 1; END; SELECT 1;`;
    const parts = splitSqlStatements(sql);
    expect(parts).toHaveLength(3);
    expect(parts[1]).toMatch(/^CREATE TRIGGER t_ai[\s\S]*UPDATE c SET n = n \+ 1; END$/);
    expect(parts[2]).toBe('SELECT 1');
  });

  it('returns nothing for a file of comments', () => {
    expect(splitSqlStatements('-- nothing here\n/* or here */\n')).toEqual([]);
  });
});
