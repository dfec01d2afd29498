/** The CLI's public surface (package `@shipgate/cli`): run shipgate in-process with an argv and an output. */
export { main } from './main';
export { captureOutput, createOutput, type Output } from './render/output';
