import type { Bundle, Resource } from '../../../../src/core/fhir/types';

/**
 * Strings that would run code, load something or change the page if any renderer put data into
 * markup unescaped. Those that run code call window.__pwned (which the test records); those that
 * load something point at the trap server.
 */
export function stringPayloads(trap: string): string[] {
  return [
    `"><img src=x onerror="__pwned('img-onerror')">`,
    `<script>__pwned('script-tag')</script>`,
    `javascript:__pwned('javascript-url')`,
    `<svg onload="__pwned('svg-onload')"></svg>`,
    `' onmouseover='__pwned("attr-break")' data-x='`,
    `" autofocus onfocus="__pwned('autofocus')" x="`,
    `<iframe src="javascript:__pwned('iframe')"></iframe>`,
    `<img src="${trap}/string-img.png">`,
    `{{constructor.constructor('__pwned("template")')()}}`,
    `</td></tr></tbody></table><a href="javascript:__pwned('a-href')" id="app">click</a>`,
    `<style>@import '${trap}/string.css'; body{background:url(${trap}/bg.png)}</style>`,
    `<meta http-equiv="refresh" content="0;url=${trap}/refresh">`,
    `"><script>document.title='pwned'</script>`,
    `<base href="${trap}/">`,
    `<link rel="stylesheet" href="${trap}/link.css">`,
  ];
}

/** A narrative holding everything FHIR's txt-1 forbids, around some content that must survive. */
export function narrativePayload(trap: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">
<p>Safe narrative text</p>
<a href="https://example.org/ok">an allowed link</a>
<script>__pwned('narrative-script')</script>
<img src="x" onerror="__pwned('narrative-img')"/>
<img src="${trap}/narrative-pixel.gif"/>
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9Il9fcHduZWQoJ3N2Zy1kYXRhJykiLz4="/>
<a href="javascript:__pwned('narrative-href')" id="narrative-js-link">click me</a>
<a href="JaVaScRiPt:__pwned('narrative-href-case')">case</a>
<a href="data:text/html,&lt;script&gt;__pwned('data-href')&lt;/script&gt;">data link</a>
<a href="vbscript:msgbox(1)">vb</a>
<iframe src="javascript:__pwned('narrative-iframe')"></iframe>
<iframe srcdoc="&lt;script&gt;parent.__pwned('srcdoc')&lt;/script&gt;"></iframe>
<form action="${trap}/form"><input name="q" autofocus="autofocus" onfocus="__pwned('narrative-autofocus')"/><button formaction="javascript:__pwned('formaction')">go</button></form>
<object data="${trap}/object"></object><embed src="${trap}/embed"/>
<style>@import url(${trap}/narrative.css); p { background: url(${trap}/narrative-bg.png) }</style>
<p style="background:url(${trap}/style-attr.png)" onclick="__pwned('onclick')" onmouseover="__pwned('narrative-mouseover')">styled</p>
<svg><animate onbegin="__pwned('svg-animate')" attributeName="x" dur="1s"/></svg>
<math><mtext><table><mglyph><style><img src=x onerror="__pwned('mxss')"></style></mglyph></table></mtext></math>
<details open="open" ontoggle="__pwned('details')"><summary>x</summary></details>
<video src="x" onerror="__pwned('video')"></video><audio src="x" onerror="__pwned('audio')"></audio>
<body onload="__pwned('body')"></body>
<link rel="stylesheet" href="${trap}/narrative-link.css"/>
<meta http-equiv="refresh" content="0;url=${trap}/narrative-refresh"/>
<base href="${trap}/"/>
<div id="app" name="acquireVsCodeApi">clobber</div>
<table><tr><td>cell</td></tr></table>
</div>`;
}

/**
 * The Bundle with every string in every resource (keys too) replaced by a payload, every
 * narrative by the narrative payload; resource types stay as they are so that every column
 * renderer runs.
 */
export function poisonBundle(bundle: Bundle, trap: string): Bundle {
  const strings = stringPayloads(trap);
  let n = 0;
  const next = () => strings[n++ % strings.length];
  const poison = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return key === 'resourceType' ? v : next();
    if (Array.isArray(v)) return v.map((x) => poison(x, key));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = poison(x, k);
      return out;
    }
    return v;
  };
  const entry = (bundle.entry ?? []).map((e, i) => {
    const r = poison(e.resource, '') as Resource;
    r.text = { status: 'generated', div: narrativePayload(trap) };
    (r as Record<string, unknown>)[strings[i % strings.length]] = next();
    return { fullUrl: next(), resource: r };
  });
  return { ...bundle, entry, link: [{ relation: 'next', url: strings[2] }] };
}
