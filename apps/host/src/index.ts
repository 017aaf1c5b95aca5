/** The host as a library: the PostChain driver and the pieces around it, for embedding and tests. */
export { type ConfigFile, ConfigFileSchema, type HostConfig, loadConfig } from './config/config.js';
export { BUILTIN_SERVERS, defaultServers, type ServerEntry } from './config/default-servers.js';
export { newConversation } from './conversation/state.js';
export { resumeConversation, stateFromEvents } from './conversation/resume.js';
export { HostSession } from './host-session.js';
export { mcpConfig } from './mcp-config.js';
export { DeltaRouter, runTurn, type TurnOptions, type TurnResult, UsageMeter } from './postchain/driver.js';
export { judgePriorsByRule } from './postchain/judge-priors.js';
export type { ToolCaller, ToolOutcome } from './postchain/tool-caller.js';
export type * from './postchain/types.js';
