export * from './alphabet.js';
export * from './countries.js';
export * from './mod1271-36.js';
export * from './robot-id.js';
