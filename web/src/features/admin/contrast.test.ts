import { describe, expect, it } from 'vitest';
import { AA_NORMAL, brandShades, contrast, passingAlternative, primaryContrast } from './contrast';

describe('contrast', () => {
  it('computes WCAG 2 contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it("checks the shade the app's theme paints, not the colour typed", () => {
    // Mantine's generator puts a dark teal at index 9; buttons use index 6, much lighter.
    const { filled } = brandShades('#0b7285');
    expect(filled).not.toBe('#0b7285');
    expect(primaryContrast('#0b7285').ratio).toBeLessThan(AA_NORMAL);
    expect(primaryContrast('#5f3dc4')).toEqual({ shade: '#5f3dc4', ratio: expect.any(Number) });
    expect(primaryContrast('#5f3dc4').ratio).toBeGreaterThan(AA_NORMAL);
  });

  it('finds a passing colour of the same hue when there is one', () => {
    const alternative = passingAlternative('#f06595');
    expect(alternative).toMatch(/^#[0-9a-f]{6}$/);
    expect(primaryContrast(alternative!).ratio).toBeGreaterThanOrEqual(AA_NORMAL);
    // No shade of yellow reaches AA with white text.
    expect(passingAlternative('#ffd43b')).toBeNull();
  });
});
