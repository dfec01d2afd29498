import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predicateSchemas } from './predicates/predicate-registry';
import { statementSchema } from './statement';

// docs/attestations.md shows one statement per predicate type; each must be what shipgate accepts.
const doc = readFileSync(new URL('../../../docs/attestations.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!));

describe('docs/attestations.md (#12.1)', () => {
  it('shows a valid statement for every predicate type but rejection (same shape as approval)', () => {
    const shown = examples.map((e) => statementSchema.parse(e).predicateType);
    expect(new Set(shown)).toEqual(
      new Set(Object.keys(predicateSchemas).filter((t) => t !== 'https://shipgate.dev/attestation/rejection/v1')),
    );
  });

  it('each example predicate matches the schema verification uses', () => {
    for (const example of examples) {
      const result = predicateSchemas[example.predicateType]!.safeParse(example.predicate);
      expect(result.success ? example.predicateType : result.error.issues).toBe(example.predicateType);
    }
  });

  it('names every predicate type the registry verifies', () => {
    for (const type of Object.keys(predicateSchemas)) expect(doc).toContain(type);
  });
});
