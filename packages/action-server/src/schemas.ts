/** Zod shapes shared by the action tools' inputs and outputs. */
import { z } from 'zod';

export const ContextMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});

export const PhaseNoteSchema = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .describe("Text, or the phase tool's JSON result as is");

export const ConversationIdSchema = z
  .string()
  .min(1)
  .max(200)
  .describe('Recorded with the log entry so action_log can filter by conversation');

export const UsageSchema = z.object({
  input_tokens: z.number().int().nonnegative().optional(),
  output_tokens: z.number().int().nonnegative().optional(),
});

export const ViaSchema = z.enum(['sampling', 'provider']);

export const LogIdSchema = z
  .number()
  .int()
  .nullable()
  .describe('The generation_log entry written for this call; null if it could not be written');
