import { describe, expect, it } from 'vitest';
import { findAllowedPrincipals, parseAllowedSigners, parseSshTime } from './allowed-signers';
import { matchPatternList } from './match-pattern';
import { parseSshPublicKey } from './ssh-public-key';

// Two fixed public keys (ssh-keygen -t ed25519); only their public halves are needed here.
const keyA = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJoS6DgnK6GxsTkSS9bekSOUH2r0rQQ5fPw3936AOaR';
const keyB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG+pKxF4nlMcKaYL7vwkb5p6BFGx4ZnSJnlkFbDKBV5a';
const now = new Date('2026-12-01T12:00:00Z');

function parse(text: string) {
  const result = parseAllowedSigners(text, 'allowed_signers');
  if (!result.ok) throw new Error(result.error.map((p) => p.message).join('\n'));
  return result.value;
}

describe('allowed-signers file (#12.2)', () => {
  it('reads principals, every option (case-insensitive), the key and its comment; skips comments and blank lines', () => {
    const signers = parse(
      [
        '# release managers',
        '',
        `   carol@example.com,alice@example.com NAMESPACES="shipgate-approval,shipgate-override",valid-after="20260101",Valid-Before="202701011230Z" ${keyA} carol laptop`,
        `"*@ops.example.com" cert-authority ${keyB}`,
        `bob@example.com valid-after=\"20260601120000Z\" ${keyB}`,
      ].join('\n'),
    );
    expect(signers).toHaveLength(3);
    expect(signers[0]).toMatchObject({
      line: 3,
      principals: 'carol@example.com,alice@example.com',
      namespaces: 'shipgate-approval,shipgate-override',
      certAuthority: false,
      validBefore: new Date('2027-01-01T12:30:00Z'),
      key: { type: 'ssh-ed25519', fingerprint: 'SHA256:t6SyfuQre7bmKvN44lb4fmiTm09o6e5WRotoNVbZN7A' },
    });
    expect(signers[1]).toMatchObject({ line: 4, principals: '*@ops.example.com', certAuthority: true });
    expect(signers[2]?.validAfter).toEqual(new Date('2026-06-01T12:00:00Z'));
  });

  it('reports every malformed line with its line number, and accepts none of the file', () => {
    const result = parseAllowedSigners(
      [
        `ok@example.com ${keyA}`,
        'lonely@example.com',
        `x@example.com namespaces=unquoted ${keyA}`,
        `x@example.com valid-before="2026" ${keyA}`,
        `x@example.com valid-after="20270101Z",valid-before="20260101Z" ${keyA}`,
        `x@example.com restrict ${keyA}`,
        `x@example.com ssh-ed25519 AAAAnotbase64!`,
        `"unclosed ${keyA}`,
      ].join('\n'),
      'allowed_signers',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((p) => [p.line, p.code])).toEqual(
      [2, 3, 4, 5, 6, 7, 8].map((l) => [l, 'ALLOWED_SIGNERS_INVALID']),
    );
    expect(result.error[2]?.message).toBe(
      'allowed_signers:4: bad options: invalid "valid-before" time "2026" (YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])',
    );
    expect(result.error[3]?.message).toBe(
      'allowed_signers:5: bad options: "valid-before" time is before "valid-after"',
    );
  });

  it('keeps lines with key types shipgate does not verify (security keys) without letting them match', () => {
    const signers = parse(
      `sk@example.com sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t\n${'y@example.com'} ${keyA}`,
    );
    expect(signers.map((s) => [s.principals, s.key?.type])).toEqual([
      ['sk@example.com', undefined],
      ['y@example.com', 'ssh-ed25519'],
    ]);
  });

  it('finds the principals for a key, namespace and time, as ssh-keygen decides', () => {
    const signers = parse(
      [
        `carol@example.com namespaces="shipgate-*,!shipgate-override" ${keyA}`,
        `ops@example.com valid-after="20270101Z" ${keyA}`,
        `*@example.com,!mallory@example.com ${keyB}`,
      ].join('\n'),
    );
    const a = parseSshPublicKey(keyA);
    const b = parseSshPublicKey(keyB);
    expect(findAllowedPrincipals(signers, a, 'shipgate-approval', now)).toEqual({
      ok: true,
      value: ['carol@example.com'],
    });
    expect(findAllowedPrincipals(signers, a, 'shipgate-override', now)).toMatchObject({
      ok: false,
      error: { reason: 'namespace-not-allowed' },
    });
    expect(findAllowedPrincipals(signers, a, 'shipgate-approval', now, 'ops@example.com')).toMatchObject({
      ok: false,
      error: { reason: 'not-yet-valid' },
    });
    expect(findAllowedPrincipals(signers, a, 'x', new Date('2027-01-02T00:00:00Z'), 'ops@example.com')).toEqual({
      ok: true,
      value: ['ops@example.com'],
    });
    expect(findAllowedPrincipals(signers, b, 'x', now, 'bob@example.com')).toEqual({
      ok: true,
      value: ['bob@example.com'],
    });
    // Asked who signed (no principal given), a line of patterns names nobody.
    expect(findAllowedPrincipals(signers, b, 'x', now)).toMatchObject({
      ok: false,
      error: {
        reason: 'principal-not-allowed',
        message: 'line 3 lists only patterns (*@example.com,!mallory@example.com), which name no one',
      },
    });
    expect(findAllowedPrincipals(signers, b, 'x', now, 'mallory@example.com')).toMatchObject({
      ok: false,
      error: { reason: 'principal-not-allowed' },
    });
    expect(findAllowedPrincipals([], b, 'x', now)).toMatchObject({ ok: false, error: { reason: 'unknown-key' } });
    // A cert-authority line vouches for certificates signed by that key, never for the key itself.
    const ca = parse(`*@example.com cert-authority ${keyB}`);
    expect(findAllowedPrincipals(ca, b, 'x', now, 'bob@example.com')).toMatchObject({
      ok: false,
      error: { reason: 'unknown-key' },
    });
  });

  it('matches pattern lists as OpenSSH does: globs, and a matching negation refuses outright', () => {
    expect(matchPatternList('carol@example.com', '*@example.com')).toBe(1);
    expect(matchPatternList('carol@example.com', 'c?rol@*')).toBe(1);
    expect(matchPatternList('carol@example.com', 'bob@example.com')).toBe(0);
    expect(matchPatternList('mallory@example.com', '*@example.com,!mallory@*')).toBe(-1);
    expect(matchPatternList('a*b', 'a\\*b')).toBe(0);
    expect(matchPatternList('', '*')).toBe(1);
  });

  it('reads OpenSSH times: date, minutes, seconds, UTC with Z, refusing impossible dates', () => {
    expect(parseSshTime('20260101Z')).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(parseSshTime('202601011230z')).toEqual(new Date('2026-01-01T12:30:00Z'));
    expect(parseSshTime('20260101123045UTC')).toEqual(new Date('2026-01-01T12:30:45Z'));
    expect(parseSshTime('20260101')).toEqual(new Date(2026, 0, 1));
    expect(parseSshTime('20261301Z')).toBeUndefined();
    expect(parseSshTime('2026-01-01')).toBeUndefined();
  });
});
