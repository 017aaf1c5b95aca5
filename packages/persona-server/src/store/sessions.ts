/** SQL for chat sessions, persona-to-persona conversations and their turns. */
import { randomBytes } from 'node:crypto';
import type { PersonaDb, SessionsTable, TurnsTable } from './schema.js';
import { iso } from './time.js';

export type SessionKind = 'chat' | 'conversation';

export function newSessionId(kind: SessionKind): string {
  return `${kind === 'chat' ? 'ses' : 'conv'}_${randomBytes(8).toString('hex')}`;
}

export async function getSession(db: PersonaDb, id: string): Promise<SessionsTable | null> {
  return (await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The most recently active chat session between a persona and a partner, whatever its status. */
export async function latestChatSession(db: PersonaDb, personaId: string, partnerId: string) {
  return (
    (await db
      .selectFrom('sessions')
      .selectAll()
      .where('persona_id', '=', personaId)
      .where('partner_id', '=', partnerId)
      .where('kind', '=', 'chat')
      .where('status', '=', 'active')
      .orderBy('last_activity', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}

export async function insertSession(
  db: PersonaDb,
  session: { id: string; kind: SessionKind; personaId: string; partnerId: string; topic: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      kind: session.kind,
      persona_id: session.personaId,
      partner_id: session.partnerId,
      topic: session.topic,
      summary: null,
      summary_kind: null,
      summarized_through: 0,
      turn_count: 0,
      tokens_total: 0,
      status: 'active',
      stop_reason: null,
      created_at: iso(now),
      last_activity: iso(now),
    })
    .execute();
}

export async function markExpired(db: PersonaDb, id: string): Promise<void> {
  await db.updateTable('sessions').set({ status: 'expired' }).where('id', '=', id).execute();
}

/** Turns after `afterTurn`, oldest first. */
export async function turnsAfter(db: PersonaDb, sessionId: string, afterTurn: number, limit = 1000) {
  return db
    .selectFrom('turns')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('turn_number', '>', afterTurn)
    .orderBy('turn_number')
    .limit(limit)
    .execute();
}

export type NewTurn = Omit<TurnsTable, 'session_id' | 'turn_number' | 'created_at'>;

/** Appends turns with the next numbers and updates the session's counters; returns the numbers. */
export async function appendTurns(db: PersonaDb, sessionId: string, turns: readonly NewTurn[], now: number) {
  const session = await db
    .selectFrom('sessions')
    .select(['turn_count', 'tokens_total'])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  const numbers: number[] = [];
  let next = session.turn_count;
  let tokens = session.tokens_total;
  for (const turn of turns) {
    next++;
    tokens += turn.tokens;
    numbers.push(next);
    await db
      .insertInto('turns')
      .values({ ...turn, session_id: sessionId, turn_number: next, created_at: iso(now) })
      .execute();
  }
  await db
    .updateTable('sessions')
    .set({ turn_count: next, tokens_total: tokens, last_activity: iso(now) })
    .where('id', '=', sessionId)
    .execute();
  return numbers;
}

export async function saveSummary(
  db: PersonaDb,
  sessionId: string,
  summary: { text: string; kind: string; through: number; expectedThrough: number },
): Promise<boolean> {
  // Only if nobody folded these turns meanwhile (another call in this session, or another process).
  const result = await db
    .updateTable('sessions')
    .set({ summary: summary.text, summary_kind: summary.kind, summarized_through: summary.through })
    .where('id', '=', sessionId)
    .where('summarized_through', '=', summary.expectedThrough)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function finishConversation(
  db: PersonaDb,
  sessionId: string,
  stopReason: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ status: 'complete', stop_reason: stopReason })
    .where('id', '=', sessionId)
    .execute();
}
