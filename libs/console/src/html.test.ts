import { describe, expect, it } from 'vitest';
import { html as h } from './html';
import { shellWord, cliCommand } from './cli-command';

describe('every ledger value is escaped', () => {
  it('markup and quotes in text and attributes', () => {
    const value = `<script>alert("x")</script><img src=x onerror='y'>&`;
    const out = String(h`<p title="${value}">${value}</p>`);
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;</p>',
    );
  });

  it('control characters, line separators and bidi overrides become visible escapes', () => {
    const out = String(h`<td>${'a\u0000b\u001b[31mc\u007fd\u0085e\u2028f\u202eg'}</td>`);
    expect(out).toBe('<td>a\\x00b\\x1b[31mc\\x7fd\\x85e\\u2028f\\u202eg</td>');
  });

  it('values inside lists are escaped; nested html stays as written', () => {
    const out = String(h`<ul>${['<b>', h`<li>${'<i>'}</li>`]}</ul>`);
    expect(out).toBe('<ul>&lt;b&gt;<li>&lt;i&gt;</li></ul>');
  });
});

describe('suggested commands are safe to paste', () => {
  it('quotes a word a shell would act on', () => {
    expect(shellWord('sample-service')).toBe('sample-service');
    expect(shellWord("x'; rm -rf ~ #")).toBe(`'x'\\''; rm -rf ~ #'`);
    expect(shellWord('$(id)')).toBe(`'$(id)'`);
    expect(cliCommand(['--state', 's3://b/p'], ['promote', 'production', '--service', 'a b'])).toBe(
      "shipgate --state s3://b/p promote production --service 'a b'",
    );
  });
});
