/**
 * The CLI commands the console suggests. They carry values from the ledger (service and release ids,
 * environment names), and a person pastes them into a shell: every word that is not plainly safe is
 * single-quoted, so that a hostile name cannot turn into a second command.
 */
const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell. */
export function shellWord(word: string): string {
  if (safeWord.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A full command line: `shipgate`, the global options the console was started with, then the words. */
export function cliCommand(prefix: readonly string[], words: readonly string[]): string {
  return ['shipgate', ...prefix, ...words].map(shellWord).join(' ');
}
