import { describe, expect, it } from 'vitest'
import { csvSafeText, escapeHtml } from './text'

describe('csvSafeText', () => {
  it.each([
    ['=HYPERLINK("http://evil.test","click")', `'=HYPERLINK("http://evil.test","click")`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
  ])('neutralises %j', (input, output) => {
    expect(csvSafeText(input)).toBe(output)
  })

  it.each(['gpt-4o-mini', 'a=b', 'x-1', '', '2026-12-02', "'quoted"])('leaves %j alone', (input) => {
    expect(csvSafeText(input)).toBe(input)
  })
})

describe('escapeHtml', () => {
  it('escapes markup and quotes, so a name is text', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    )
  })
})
