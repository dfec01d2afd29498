import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';

// The layering of DESIGN.md (model ← ledger ← capabilities ← apps) is enforced by ESLint's Nx
// module-boundary rule. These snippets are linted as if they sat in the named files.
const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The Nx rule reads the cached project graph; on a fresh clone there is none until Nx computes it.
    execFileSync(`${root}/node_modules/.bin/nx`, ['show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
  }, 120_000);

  it('refuses an import from the model up into the ledger', async () => {
    const errors = await boundaryErrors(
      'libs/model/src/layering-fixture.ts',
      "import { openLedger } from '@shipgate/ledger';\nexport const x = openLedger;\n",
    );
    expect(errors).toHaveLength(1);
    // Either message refuses it: the tag constraint, or the cycle it would create (ledger depends on model).
    expect(errors[0]).toMatch(/type:model|Circular dependency between "model" and "ledger"/);
  });

  it('refuses an import from a library into an app', async () => {
    const errors = await boundaryErrors(
      'libs/seeding/src/layering-fixture.ts',
      "import { main } from '@shipgate/cli';\nexport const x = main;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('refuses a relative import into another project', async () => {
    const errors = await boundaryErrors(
      'libs/rollback/src/layering-fixture.ts',
      "import * as m from '../../model/src/errors';\nexport const x = m;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/relative/i);
  });

  it('allows a capability to use the model and the ledger through their package names', async () => {
    const errors = await boundaryErrors(
      'libs/rollback/src/layering-fixture.ts',
      "import { ShipgateError } from '@shipgate/model';\nimport * as l from '@shipgate/ledger';\nexport const x = [ShipgateError, l];\n",
    );
    expect(errors).toEqual([]);
  });

  it('refuses an import from the trust library into the ledger it sits beside', async () => {
    const errors = await boundaryErrors(
      'libs/trust/src/layering-fixture.ts',
      "import { openLedger } from '@shipgate/ledger';\nexport const x = openLedger;\n",
    );
    expect(errors).toHaveLength(1);
    // Now that the ledger imports trust (audit checkpoints), Nx names the cycle first; refused either way.
    expect(errors[0]).toMatch(
      /type:trust|type:model|Circular dependency between "trust" and "ledger"|Circular dependency between "ledger" and "trust"/,
    );
  });

  it('allows the ledger and a capability to use the trust library, and trust to use the model', async () => {
    const use = "import { verifyEnvelope } from '@shipgate/trust';\nexport const x = verifyEnvelope;\n";
    expect(await boundaryErrors('libs/ledger/src/layering-fixture.ts', use)).toEqual([]);
    expect(await boundaryErrors('libs/rollback/src/layering-fixture.ts', use)).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/trust/src/layering-fixture.ts',
        "import { canonicalJsonBytes } from '@shipgate/model';\nexport const x = canonicalJsonBytes;\n",
      ),
    ).toEqual([]);
  });
});
