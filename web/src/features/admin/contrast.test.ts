import { describe, expect, it } from 'vitest';
import { generateColors } from '@mantine/colors-generator';
import { AA_NORMAL, brandShades, contrast, primaryContrast } from './contrast';

describe('contrast', () => {
  it('computes WCAG 2 contrast ratios', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('paints buttons and links in the colour itself when it meets AA', () => {
    for (const colour of ['#0b7285', '#5f3dc4', '#c92a2a']) {
      const painted = primaryContrast(colour);
      expect(painted.shade).toBe(colour);
      expect(painted.darker).toBe(false);
      expect(painted.ratio).toBeGreaterThanOrEqual(AA_NORMAL);
    }
  });

  it('takes a darker shade of the same palette for a colour too light to read', () => {
    for (const colour of ['#74c0fc', '#2f9e44', '#1c7ed6', '#f06595']) {
      const painted = primaryContrast(colour);
      expect(painted.own).toBeLessThan(AA_NORMAL);
      expect(painted.darker).toBe(true);
      expect(painted.ratio).toBeGreaterThanOrEqual(AA_NORMAL);
      expect(generateColors(colour)).toContain(painted.shade);
      expect(brandShades(colour).filled).toBe(painted.shade);
    }
  });

  it('takes the darkest shade, and says it is not enough, when no shade reaches AA', () => {
    const yellow = primaryContrast('#ffd43b');
    expect(yellow.shade).toBe(generateColors('#ffd43b')[9]);
    expect(yellow.ratio).toBeLessThan(AA_NORMAL);
  });
});
