// WCAG 2 contrast for the branding screen. The app does not paint the chosen colour itself but
// the shade Mantine's generator puts at index 6 of its palette (filled buttons with white text,
// links on white) and index 7 (the product name in the header), so those are what is checked.
// The generator places a colour by its lightness, so a dark colour's index 6 can be much lighter
// than the colour chosen.
import { themeFor } from '@/lib/theme';
import type { Branding } from '@/features/auth/session';

export const HEX = /^#[0-9a-fA-F]{6}$/;
export const AA_NORMAL = 4.5;

function channel(v: number) {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string) {
  const n = Number.parseInt(hex.slice(1), 16);
  return (
    0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  );
}

export function contrast(a: string, b: string) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// The shades the app would use for this primary colour.
export function brandShades(primary: string) {
  const theme = themeFor({
    product_name: '',
    primary_color: primary,
    accent_color: '#f59f00',
    logo_url: null,
  } satisfies Branding);
  const brand = theme.colors?.brand ?? [];
  return { filled: brand[6] ?? primary, title: brand[7] ?? primary };
}

export function primaryContrast(primary: string) {
  const { filled } = brandShades(primary);
  return { shade: filled, ratio: contrast(filled, '#ffffff') };
}

function toHsl(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  const r = ((n >> 16) & 255) / 255;
  const g = ((n >> 8) & 255) / 255;
  const b = (n & 255) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === r
      ? ((g - b) / d + (g < b ? 6 : 0)) / 6
      : max === g
        ? ((b - r) / d + 2) / 6
        : ((r - g) / d + 4) / 6;
  return [h, s, l];
}

function fromHsl(h: number, s: number, l: number): string {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

// The colour nearest to this one (hue first kept, then saturation and lightness) whose button and
// link shade passes AA, within 30° of hue; null when there is none (the generator gives greens,
// teals, yellows and oranges light shades at index 6).
export function passingAlternative(primary: string): string | null {
  const [h0, s0, l0] = toHsl(primary);
  const candidates: { h: number; s: number; l: number; distance: number }[] = [];
  for (let dh = -30; dh <= 30; dh += 10)
    for (let s = 0.4; s <= 1.0001; s += 0.1)
      for (let l = 0.2; l <= 0.7001; l += 0.025)
        candidates.push({
          h: (h0 + dh / 360 + 1) % 1,
          s,
          l,
          distance: Math.hypot(dh / 30, s - s0, (l - l0) * 2),
        });
  candidates.sort((a, b) => a.distance - b.distance);
  for (const c of candidates) {
    const color = fromHsl(c.h, c.s, c.l);
    if (primaryContrast(color).ratio >= AA_NORMAL) return color;
  }
  return null;
}
