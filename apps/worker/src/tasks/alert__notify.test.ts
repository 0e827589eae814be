import { describe, expect, it } from 'vitest'
import { alertEmail } from './alert__notify'

describe('alert email', () => {
  it('escapes budget and team names in the HTML part', () => {
    const { html, text } = alertEmail(
      {
        spentUsd: '5',
        limitUsd: '10',
        teamName: '<script>alert("team")</script>',
        budgetName: '=HYPERLINK("http://evil.test","<b>x</b>")',
        threshold: 50,
        period: 'month',
        mode: 'hard',
      },
      'http://costwise.test/',
    )
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>')
    expect(html).toContain('&lt;script&gt;alert(&quot;team&quot;)&lt;/script&gt;')
    expect(html).toContain('=HYPERLINK(&quot;http://evil.test&quot;,&quot;&lt;b&gt;x&lt;/b&gt;&quot;)')
    expect(html).toContain('href="http://costwise.test/dashboard/alerts"')
    // The plain-text part is text: shown as typed.
    expect(text).toContain('<script>alert("team")</script>')
  })
})
