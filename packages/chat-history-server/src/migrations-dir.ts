import { findMigrationsDir } from '@choir/storage';

/** migrations/chat-history from a checkout, or dist/migrations in a built or installed package. */
export const migrationsDir = (): string => findMigrationsDir(import.meta.url, 'chat-history');
