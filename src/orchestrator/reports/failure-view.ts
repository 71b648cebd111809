import { escapeHtml as h } from './escape.ts';
import type { FailureView } from './failure-details.ts';

/** A relative link, each path segment URL-encoded, then HTML-escaped. */
export function link(path: string, text: string): string {
  const href = path.split('/').map(encodeURIComponent).join('/');
  return `<a href="${h(href)}">${h(text)}</a>`;
}

function diffBlock(diff: string): string {
  const lines = diff.split('\n').map((l) => {
    const cls = l.startsWith('-') ? 'del' : l.startsWith('+') ? 'ins' : '';
    return cls ? `<span class="${cls}">${h(l)}</span>` : `${h(l)}\n`;
  });
  return `<pre class="diff" aria-label="expected and received">${lines.join('')}</pre>`;
}

/** One failure: message and diff first, then the source line, the service log of its window, logs. */
export function renderFailure(f: FailureView, id: string): string {
  const source = f.source
    ? `<p class="where">at ${h(f.source.file)}:${f.source.line}</p><pre class="src">${f.source.lines
        .map((l) => {
          const text = `<span class="ln">${String(l.n).padStart(5)} | </span>${h(l.text)}`;
          return l.n === f.source?.line ? `<span class="at">${text}</span>` : `${text}\n`;
        })
        .join('')}</pre>`
    : '';
  const logs =
    f.logLines.length > 0
      ? `<details><summary>service log: ${f.logLines.length} line(s) of ${h(f.logWindow ?? 'the test')}</summary><pre class="log">${h(f.logLines.join('\n'))}</pre></details>`
      : '<p class="where">no service log line in the test\'s time window</p>';
  const files =
    f.logFiles.length > 0
      ? `<p>container logs: ${f.logFiles.map((p) => link(p, p.split('/').pop() ?? p)).join(' · ')}</p>`
      : '';
  return `<article class="failure" id="${h(id)}" tabindex="-1" aria-labelledby="${h(id)}-h">
<h3 id="${h(id)}-h"><span class="st st-failed">failed</span> ${h(f.jobId)} › ${f.file ? `${h(f.file)} › ` : ''}${h(f.name)}</h3>
<pre class="msg">${h(f.message)}</pre>
${f.diff ? diffBlock(f.diff) : ''}${source}${logs}${files}</article>`;
}
