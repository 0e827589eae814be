import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderAt } from '../../test/render'
import type { RunResult } from '../../lib/lab/run-stream'
import { TokenUsageDisplay } from './token-usage-display'

const result: RunResult = {
  status: 'ok',
  callId: 'c1',
  model: 'costwise-demo-reasoner',
  finishReason: 'stop',
  estimate: { inputTokens: 120, maxOutputTokens: 500, estimatedCostUsd: '0.00424' },
  usage: {
    inputTokens: 1200,
    outputTokens: 300,
    cachedInputTokens: 1024,
    cacheWriteTokens: 0,
    reasoningTokens: 100,
    costUsd: '0.002864',
    breakdown: { inputUsd: '0.000352', cachedInputUsd: '0.000512', outputUsd: '0.0016', reasoningUsd: '0.0008' },
  },
  usageLogId: 'u1',
  runId: 'r1',
  latencyMs: 1520,
  timeToFirstTokenMs: 180,
  error: null,
}

describe('TokenUsageDisplay', () => {
  it('shows actual tokens by kind, cost, timings and the estimate beside the actual', () => {
    renderAt(<TokenUsageDisplay result={result} tier="free" />)
    expect(screen.getByTestId('usage-input').textContent).toContain('1,200')
    expect(screen.getByTestId('usage-output').textContent).toContain('300')
    expect(screen.getByTestId('usage-cached').textContent).toContain('1,024')
    expect(screen.getByTestId('usage-reasoning').textContent).toContain('100')
    expect(screen.getByTestId('usage-cost').textContent).toContain('$0.00286')
    expect(screen.getByTestId('usage-estimate').textContent).toContain('$0.00424')
    expect(screen.getByTestId('usage-ttft').textContent).toContain('180 ms')
    expect(screen.getByTestId('usage-latency').textContent).toContain('1.52 s')
    expect(screen.queryByTestId('usage-breakdown')).toBeNull()
  })

  it('adds the cost breakdown on Pro', () => {
    renderAt(<TokenUsageDisplay result={result} tier="pro" />)
    const breakdown = screen.getByTestId('usage-breakdown').textContent
    expect(breakdown).toContain('Cached input cost$0.000512')
    expect(breakdown).toContain('Reasoning cost$0.0008')
  })

  it('explains a failed run', () => {
    renderAt(
      <TokenUsageDisplay
        result={{
          ...result,
          status: 'error',
          error: { code: 'PROVIDER_ERROR', message: 'The model provider answered 500.', providerStatus: 500 },
        }}
        tier="free"
      />,
    )
    expect(screen.getByRole('alert').textContent).toBe('The model provider answered 500.')
  })
})
