import { describe, expect, test } from 'bun:test'
import { didYouMean } from '../../src/core/did-you-mean.ts'

describe('didYouMean', () => {
  test('finds a candidate one typo away', () => {
    expect(didYouMean('sqlit', ['sqlite', 'redis'])).toBe('sqlite')
    expect(didYouMean('wroker', ['worker', 'call'])).toBe('worker')
  })

  test('suggests nothing when no candidate is close', () => {
    expect(didYouMean('postgres', ['sqlite', 'redis'])).toBeNull()
  })
})
