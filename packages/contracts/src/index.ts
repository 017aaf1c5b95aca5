export * from './conversation.js';
export * from './history.js';
export * from './phases.js';
export * from './priors.js';
