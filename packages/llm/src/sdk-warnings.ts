/**
 * The AI SDK prints provider warnings ("temperature is not supported…") with console.info and
 * console.warn, and console.info goes to stdout — which, in an MCP stdio server, belongs to
 * the protocol. Unless the host has installed its own handler (a function assigned to
 * `globalThis.AI_SDK_LOG_WARNINGS`, e.g. one that logs through pino), we switch them off.
 */
export function quietSdkWarnings(): void {
  if (globalThis.AI_SDK_LOG_WARNINGS === undefined) globalThis.AI_SDK_LOG_WARNINGS = false;
}
