/** The tokenizer context packing uses: @choir/llm's counting, linear even for pathological text. */
import { countTokens, truncateToTokens } from '@choir/llm';
import type { Tokenizer } from './context-packing.js';

export const boundedTokenizer: Tokenizer = { count: countTokens, truncate: truncateToTokens };
