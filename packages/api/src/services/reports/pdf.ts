import { formatDateTimeWithZone, percentOf, reportFilterLabels, usdToNano } from '@costwise/core'
import PDFDocument from 'pdfkit'
import { changeLabel, money, type ReportData } from './build'

const INK = '#0f172a'
const MUTED = '#64748b'
const ACCENT = '#4f46e5'

/** The executive summary: headline figures, a daily cost trend, and the top models and prompts. */
export function reportPdf(data: ReportData): Promise<Buffer> {
  const title = data.allocation ? 'Cost allocation report' : 'Usage report'
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `Costwise ${title.toLowerCase()} — ${data.team.name}`, Author: 'Costwise' },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const width = doc.page.width - 96

  doc.fillColor(ACCENT).font('Helvetica-Bold').fontSize(10).text('COSTWISE', { characterSpacing: 2 })
  doc.moveDown(0.3).fillColor(INK).fontSize(22).text(title)
  doc
    .moveDown(0.2)
    .font('Helvetica')
    .fontSize(11)
    .fillColor(MUTED)
    .text(
      `${data.team.name} · ${data.from} to ${data.to} (${data.team.timeZone}) · generated ${formatDateTimeWithZone(data.generatedAt, data.team)}`,
    )
  const filters = reportFilterLabels(data.definition.filters)
  if (filters.length) doc.moveDown(0.2).text(`Only ${filters.join(', ')}`)

  // Headline figures
  const t = data.totals
  const cards: [string, string, string?][] = [
    ['Total cost', money(t.costUsd), `${changeLabel(t.costUsd, data.previous.costUsd)} vs previous period`],
    ['Runs', t.runs.toLocaleString('en-US'), `${t.errors.toLocaleString('en-US')} errors`],
    [
      'Tokens',
      (t.inputTokens + t.outputTokens).toLocaleString('en-US'),
      `${t.inputTokens.toLocaleString('en-US')} in / ${t.outputTokens.toLocaleString('en-US')} out`,
    ],
    ['Average cost per run', money(t.avgCostPerRunUsd)],
  ]
  const top = doc.y + 16
  const cardWidth = (width - 3 * 10) / 4
  cards.forEach(([label, value, note], i) => {
    const x = 48 + i * (cardWidth + 10)
    doc.roundedRect(x, top, cardWidth, 70, 6).lineWidth(0.5).strokeColor('#cbd5e1').stroke()
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(label.toUpperCase(), x + 8, top + 8, { width: cardWidth - 16 })
    doc
      .font('Helvetica-Bold')
      .fontSize(14)
      .fillColor(INK)
      .text(value, x + 8, top + 22, { width: cardWidth - 16 })
    if (note)
      doc
        .font('Helvetica')
        .fontSize(7)
        .fillColor(MUTED)
        .text(note, x + 8, top + 46, { width: cardWidth - 16 })
  })

  // Daily cost trend
  let y = top + 96
  doc.font('Helvetica-Bold').fontSize(13).fillColor(INK).text('Daily cost', 48, y)
  y += 22
  const chartHeight = 130
  const values = data.trend.map((g) => usdToNano(g.costUsd))
  const max = values.reduce((m, v) => (v > m ? v : m), 0n)
  const barGap = 2
  const barWidth = values.length ? Math.max(1, (width - 40) / values.length - barGap) : 0
  doc
    .moveTo(88, y)
    .lineTo(88, y + chartHeight)
    .lineTo(48 + width, y + chartHeight)
    .lineWidth(0.5)
    .strokeColor('#94a3b8')
    .stroke()
  doc.font('Helvetica').fontSize(7).fillColor(MUTED)
  doc.text(money(max === 0n ? '0' : data.trend[values.indexOf(max)]!.costUsd), 40, y - 3, { width: 44, align: 'right' })
  doc.text('$0', 40, y + chartHeight - 4, { width: 44, align: 'right' })
  values.forEach((v, i) => {
    const h = max === 0n ? 0 : (percentOf(v, max) / 100) * (chartHeight - 4)
    doc
      .rect(92 + i * (barWidth + barGap), y + chartHeight - h, barWidth, h)
      .fillColor(ACCENT)
      .fill()
  })
  if (data.trend.length) {
    doc.fillColor(MUTED).text(data.trend[0]!.key ?? '', 92, y + chartHeight + 4)
    doc.text(data.trend[data.trend.length - 1]!.key ?? '', 48 + width - 80, y + chartHeight + 4, {
      width: 80,
      align: 'right',
    })
  }
  y += chartHeight + 28

  const table = (title: string, header: string[], rows: string[][], widths: number[]) => {
    doc.font('Helvetica-Bold').fontSize(13).fillColor(INK).text(title, 48, y)
    y += 20
    const row = (cells: string[], bold: boolean) => {
      if (y > doc.page.height - 90) {
        doc.addPage()
        y = 48
      }
      let x = 48
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9)
        .fillColor(bold ? MUTED : INK)
      cells.forEach((cell, i) => {
        doc.text(cell, x, y, {
          width: widths[i]! - 6,
          align: i === 0 ? 'left' : 'right',
          lineBreak: false,
          ellipsis: true,
        })
        x += widths[i]!
      })
      y += 15
    }
    row(header, true)
    if (rows.length === 0) {
      doc.font('Helvetica').fontSize(9).fillColor(MUTED).text('No usage in this period.', 48, y)
      y += 15
    }
    for (const r of rows) row(r, false)
    y += 12
  }
  const total = usdToNano(t.costUsd)
  if (data.allocation) {
    table(
      'Cost allocation',
      ['Cost centre', 'Code', 'Cost', 'Exact (USD)', 'Share'],
      [
        ...data.allocation.map((l) => [
          l.name,
          l.code ?? '—',
          money(l.costUsd),
          l.costUsd,
          `${l.sharePercent.toFixed(2)} %`,
        ]),
        ['Total', '', money(t.costUsd), t.costUsd, '100.00 %'],
      ],
      [width * 0.3, width * 0.16, width * 0.16, width * 0.24, width * 0.14],
    )
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        'Each call is charged to the cost centre it named, else its prompt’s, its API key’s (split by percentage), else its member’s; “Unallocated” is what none of them claims. The exact amounts add up to the total.',
        48,
        y,
        { width },
      )
    y = doc.y + 16
  }
  table(
    'Top models',
    ['Model', 'Cost', 'Runs', 'Share'],
    data.topModels.map((g) => [
      g.key ?? '(none)',
      money(g.costUsd),
      g.runs.toLocaleString('en-US'),
      `${percentOf(usdToNano(g.costUsd), total).toFixed(1)} %`,
    ]),
    [width * 0.46, width * 0.2, width * 0.16, width * 0.18],
  )
  table(
    'Top prompts',
    ['Prompt', 'Cost', 'Runs', 'Cost per successful run'],
    data.topPrompts.map((p) => [
      p.name,
      money(p.costUsd),
      p.runs.toLocaleString('en-US'),
      p.costPerSuccessfulRunUsd ? money(p.costPerSuccessfulRunUsd) : '—',
    ]),
    [width * 0.4, width * 0.18, width * 0.14, width * 0.28],
  )
  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor(MUTED)
    .text('Costs are exact to the nano-dollar, priced with each call’s price version.', 48, doc.page.height - 60, {
      width,
    })
  doc.end()
  return done
}
