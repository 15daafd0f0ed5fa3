import { describe, expect, it } from 'vitest';
import { extractFiles } from '../src/artifacts/extract-files.js';
import { fencedBlocks } from '../src/artifacts/fenced-blocks.js';
import { checkAnswerPath } from '../src/artifacts/safe-path.js';

describe('files from an answer', () => {
  it('takes blocks that name a path in the info string or the line above, and skips plain snippets', () => {
    const answer = [
      '```ts path=src/a.ts', 'export const a = 1;', '```',
      '```python file="tools/b.py"', 'print(1)', '```',
      '```src/c.css', 'p {}', '```',
      '```js lib/d.js', 'd()', '```',
      '### `docs/e.md`', '```markdown', '# E', '```',
      'Run it like this:', '```sh', 'npm test', '```',
      '```verdict', '{}', '```',
    ].join('\n');
    expect(extractFiles(answer)).toEqual({
      files: [
        { path: 'src/a.ts', content: 'export const a = 1;\n' },
        { path: 'tools/b.py', content: 'print(1)\n' },
        { path: 'src/c.css', content: 'p {}\n' },
        { path: 'lib/d.js', content: 'd()\n' },
        { path: 'docs/e.md', content: '# E\n' },
      ],
      refused: [],
    });
  });

  it('keeps the last version of a file named twice, and nested fences inside a longer fence', () => {
    const answer = '```md path=README.md\none\n```\n\n````md path=README.md\n```sh\nnpm i\n```\n````\n';
    expect(extractFiles(answer).files).toEqual([{ path: 'README.md', content: '```sh\nnpm i\n```\n' }]);
  });

  it('reads an unclosed block (an answer cut at max_tokens) to the end', () => {
    expect(fencedBlocks('```ts path=a.ts\nconst a')).toEqual([{ info: 'ts path=a.ts', body: 'const a', before: '' }]);
  });

  it.each([
    ['/etc/passwd', 'absolute path'],
    ['C:\\Windows\\x.dll', 'absolute path'],
    ['\\\\server\\share\\x', 'absolute path'],
    ['~/.bashrc', 'home-relative path'],
    ['../x', 'path contains ".."'],
    ['a/../../x', 'path contains ".."'],
    ['a\\..\\..\\x', 'path contains ".."'],
    ['state.json', 'state.json is written by the pipeline itself'],
    ['./', 'path names no file'],
    ['a\u0000b', 'control characters in the path'],
  ])('refuses %j (%s)', (path, reason) => {
    expect(checkAnswerPath(path)).toEqual({ ok: false, reason });
  });

  it('normalises harmless relative forms', () => {
    expect(checkAnswerPath('./src//x.ts')).toEqual({ ok: true, path: 'src/x.ts' });
    expect(checkAnswerPath('src/state.json')).toEqual({ ok: true, path: 'src/state.json' });
  });
});
