import { didYouMean } from '@shipgate/model/core';

// What a one-letter flag usually means in other tools (`head -n 20`, `rm -f`): a spelling distance
// between one letter and a name says nothing (`-n` is as close to `--as` as to anything).
const conventional: Record<string, readonly string[]> = {
  n: ['limit'],
  f: ['force', 'file'],
  e: ['environment'],
  c: ['config'],
  j: ['json'],
};

/** The option an unknown flag most likely meant, among `names`: by meaning for `-x`, by spelling for `--name`. */
export function suggestOption(flag: string, names: readonly string[]): string | undefined {
  const bare = flag.replace(/^-+/, '');
  if (flag.startsWith('--') || bare.length > 1) return didYouMean(bare, names);
  const letter = bare.toLowerCase();
  return (
    (conventional[letter] ?? []).find((name) => names.includes(name)) ?? names.find((name) => name.startsWith(letter))
  );
}
