export {
  classifyError,
  conflict,
  ERROR_CODES,
  ERROR_META_KEY,
  type ErrorCode,
  errorResult,
  invalidInput,
  modelUnavailable,
  notFound,
  ToolError,
  type ToolErrorInfo,
} from './errors.js';
export {
  createGenerator,
  type Generate,
  type GenerateRequest,
  type GenerateResult,
  NO_MODEL_HINT,
  samplingAvailable,
} from './generate.js';
export { Inflight } from './inflight.js';
export { checkInputLimits, DEFAULT_INPUT_LIMITS, type InputLimits } from './limits.js';
export { createLogger, type Logger } from './logger.js';
export {
  type ChoirServerInfo,
  createChoirServer,
  type ModelSelection,
  type RunStdioServerOptions,
  runStdioServer,
  selectModel,
} from './server.js';
export { type Env, loadSettings, type ServerDeps, type ServerSettings } from './settings.js';
export {
  defineTool,
  describeIssues,
  registerTools,
  TOOL_NAME,
  type ToolContext,
  type ToolDefinition,
  type ToolReturn,
  type ToolSpec,
} from './tools.js';
