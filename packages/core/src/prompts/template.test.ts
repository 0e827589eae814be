import { describe, expect, it } from 'vitest'
import { renderTemplate, templateSegments, templateVariables } from './template'

describe('prompt templates', () => {
  it('finds variables once, in order', () => {
    expect(templateVariables('Hi {{name}}, {{ topic }}!', 'About {{topic}} and {{x.y}}')).toEqual([
      'name',
      'topic',
      'x.y',
    ])
  })
  it('renders known values and leaves unknown placeholders', () => {
    expect(renderTemplate('Hi {{ name }} — {{missing}}', { name: 'Ada' })).toBe('Hi Ada — {{missing}}')
    expect(renderTemplate('{{toString}}', {})).toBe('{{toString}}')
  })
  it('splits into text and variable segments that join back to the rendered text', () => {
    const segments = templateSegments('A {{v}} B {{w}}', { v: 'one' })
    expect(segments).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'variable', name: 'v', text: 'one' },
      { kind: 'text', text: ' B ' },
      { kind: 'variable', name: 'w', text: '{{w}}' },
    ])
    expect(segments.map((s) => s.text).join('')).toBe(renderTemplate('A {{v}} B {{w}}', { v: 'one' }))
  })
})
