/**
 * Packs a conversation's newest events into a token budget. Events are offered newest first and
 * the packer says when it is full, so the caller reads only as much of the log as the budget
 * can hold. Rules:
 *  - the window is a contiguous run of the newest events: the first event that does not fit
 *    ends it (skipping it to squeeze older ones in would leave holes the model cannot see);
 *  - a tool call and its results are kept or dropped together, with whatever lies between them;
 *    a result whose call is not stored (pruned, never logged) is dropped, never shown alone;
 *  - the newest user message is always in, truncated with a visible marker if it alone exceeds
 *    the budget; its cost is set aside before anything else is packed;
 *  - identical messages are never merged: repeating a question is part of the conversation.
 */

export interface PackableEvent {
  seq: number;
  type: string;
  content: string;
  /** Tokens of the stored event (content plus serialised tool calls), computed at write time. */
  tokenCount: number;
  /**
   * On a tool_result: the seq of the event that issued its call, or null when no earlier stored
   * event did (the call was pruned or never logged). Ignored on other types.
   */
  callSeq: number | null;
}

export interface Tokenizer {
  count(text: string): number;
  /** The longest prefix of `text` within `maxTokens` tokens. */
  truncate(text: string, maxTokens: number): string;
}

/**
 * Role marker and separators a chat format adds around each message, as in OpenAI's published
 * accounting (the same figure @choir/llm's countChatTokens uses). Charged per event so the
 * budget holds for the prompt the events become, not only for their text.
 */
export const FRAMING_TOKENS_PER_EVENT = 4;

/** Below this a budget cannot hold even a truncated user message with its marker. */
export const MIN_BUDGET = 32;

export interface PackedEvent<E extends PackableEvent> {
  event: E;
  /** The content to show: the event's own, or a truncated prefix plus the marker. */
  content: string;
  /** Tokens charged against the budget, framing included. */
  cost: number;
  /** Tokens cut from the content (0 when whole). */
  truncatedTokens: number;
}

export interface PackResult<E extends PackableEvent> {
  /** Chronological. */
  events: PackedEvent<E>[];
  tokensUsed: number;
  /** Events offered to the packer but left out (did not fit, or a result without its call). */
  dropped: number;
  /** Whether packing stopped on the budget (false: the log ran out first). */
  full: boolean;
}

export function truncationMarker(omittedTokens: number): string {
  return `[…truncated ${omittedTokens} tokens]`;
}

/**
 * Fits `text` into `budget` tokens (framing included) by keeping a prefix and appending the
 * marker. Returns the whole text when it fits.
 */
export function truncateToFit(
  text: string,
  fullTokens: number,
  budget: number,
  tokenizer: Tokenizer,
): { content: string; cost: number; truncatedTokens: number } {
  const whole = FRAMING_TOKENS_PER_EVENT + fullTokens;
  if (whole <= budget) return { content: text, cost: whole, truncatedTokens: 0 };
  // The marker's own length depends on the number it prints; the full count bounds it.
  let keep = budget - FRAMING_TOKENS_PER_EVENT - tokenizer.count(`\n${truncationMarker(fullTokens)}`);
  for (;;) {
    const prefix = keep > 0 ? tokenizer.truncate(text, keep) : '';
    const kept = tokenizer.count(prefix);
    const omitted = Math.max(1, fullTokens - kept);
    const content = prefix ? `${prefix}\n${truncationMarker(omitted)}` : truncationMarker(omitted);
    const cost = FRAMING_TOKENS_PER_EVENT + tokenizer.count(content);
    // Tokens can merge across the join; step back until it fits (or nothing is left to cut).
    if (cost <= budget || keep <= 0) return { content, cost, truncatedTokens: omitted };
    keep -= cost - budget;
  }
}

export class ContextPacker<E extends PackableEvent> {
  readonly #budget: number;
  readonly #pinned: PackedEvent<E> | null;
  #remaining: number;
  readonly #accepted: PackedEvent<E>[] = [];
  /** An open span, newest first: from a tool result back to the call it answers. */
  #held: E[] = [];
  #heldCost = 0;
  /** The seq that closes the open span: the oldest call its results answer. */
  #closesAt: number | null = null;
  #dropped = 0;
  #full = false;
  #lastSeq = Number.POSITIVE_INFINITY;

  /**
   * @param budget tokens the window may use, framing included
   * @param newestUserMessage pinned into the window whatever its size
   */
  constructor(budget: number, tokenizer: Tokenizer, newestUserMessage: E | null) {
    if (!Number.isInteger(budget) || budget < MIN_BUDGET) {
      throw new RangeError(`budget must be an integer of at least ${MIN_BUDGET} tokens, got ${budget}`);
    }
    this.#budget = budget;
    if (newestUserMessage) {
      const fit = truncateToFit(newestUserMessage.content, newestUserMessage.tokenCount, budget, tokenizer);
      this.#pinned = { event: newestUserMessage, ...fit };
    } else {
      this.#pinned = null;
    }
    this.#remaining = budget - (this.#pinned?.cost ?? 0);
  }

  get full(): boolean {
    return this.#full;
  }

  /** Offers the next older event. Returns false once the window is full: stop reading. */
  offer(event: E): boolean {
    if (this.#full) return false;
    if (event.seq >= this.#lastSeq) {
      throw new RangeError(`events must be offered newest first: seq ${event.seq} after ${this.#lastSeq}`);
    }
    this.#lastSeq = event.seq;
    if (this.#pinned && event.seq === this.#pinned.event.seq) return true;
    this.#take(event);
    return !this.#full;
  }

  #take(event: E): void {
    const cost = FRAMING_TOKENS_PER_EVENT + event.tokenCount;
    const isResult = event.type === 'tool_result';
    if (isResult && (event.callSeq === null || event.callSeq >= event.seq)) {
      // Its call is not in the log: a result alone would only confuse the model.
      this.#dropped += 1;
      return;
    }
    if (this.#closesAt !== null && event.seq < this.#closesAt) {
      // The call was never offered (filtered out by type): the held results are orphans.
      this.#settleOrphans();
    }
    if (this.#closesAt === null && !isResult) {
      if (cost > this.#remaining) this.#stop(1);
      else this.#accept(event, cost);
      return;
    }
    this.#held.push(event);
    this.#heldCost += cost;
    if (isResult) this.#closesAt = Math.min(this.#closesAt ?? Number.POSITIVE_INFINITY, event.callSeq!);
    if (this.#heldCost > this.#remaining) {
      // The call and its results cannot fit together: the window ends here.
      this.#stop(this.#held.length);
    } else if (event.seq === this.#closesAt) {
      for (const held of this.#held) this.#accept(held, FRAMING_TOKENS_PER_EVENT + held.tokenCount);
      this.#resetSpan();
    }
  }

  #accept(event: E, cost: number): void {
    this.#accepted.push({ event, content: event.content, cost, truncatedTokens: 0 });
    this.#remaining -= cost;
  }

  #resetSpan(): void {
    this.#held = [];
    this.#heldCost = 0;
    this.#closesAt = null;
  }

  #stop(droppedNow: number): void {
    this.#dropped += droppedNow;
    this.#resetSpan();
    this.#full = true;
  }

  /** Drops the held results and replays the rest of the span without them. */
  #settleOrphans(): void {
    const span = this.#held;
    this.#resetSpan();
    for (const event of span) {
      if (event.type === 'tool_result') this.#dropped += 1;
      else if (this.#full) this.#dropped += 1;
      else this.#take(event);
    }
  }

  finish(): PackResult<E> {
    if (!this.#full && this.#held.length > 0) this.#settleOrphans();
    const events = [...this.#accepted];
    if (this.#pinned) events.push(this.#pinned);
    events.sort((a, b) => a.event.seq - b.event.seq);
    return {
      events,
      tokensUsed: this.#budget - this.#remaining,
      dropped: this.#dropped,
      full: this.#full,
    };
  }
}

/** Packs a whole newest-first list at once (tests, small inputs). */
export function packContext<E extends PackableEvent>(
  newestFirst: readonly E[],
  budget: number,
  tokenizer: Tokenizer,
): PackResult<E> {
  const pinned = newestFirst.find((e) => e.type === 'user_message') ?? null;
  const packer = new ContextPacker(budget, tokenizer, pinned);
  for (const event of newestFirst) {
    if (!packer.offer(event)) break;
  }
  return packer.finish();
}
