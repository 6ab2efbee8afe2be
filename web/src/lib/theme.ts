// The Mantine theme from a tenant's branding: its primary and accent colours become 10-shade
// palettes (Mantine's own generator), so every component follows the brand.
//
// Legibility first: filled buttons (white labels) and links (on white) use the shade of the brand
// palette where the chosen colour itself sits — unless that is too light for WCAG AA (4.5:1
// against white), then the first darker shade of the same palette that is. autoContrast gives
// light fills dark labels wherever a component is filled with a lighter shade.
import { generateColors } from '@mantine/colors-generator';
import { createTheme, type MantineColorShade, type MantineColorsTuple } from '@mantine/core';
import { AA_NORMAL, contrast } from './color';

function palette(hex: string, fallback: string): MantineColorsTuple {
  try {
    return generateColors(hex);
  } catch {
    return generateColors(fallback);
  }
}

function distance(a: string, b: string) {
  const x = Number.parseInt(a.slice(1), 16);
  const y = Number.parseInt(b.slice(1), 16);
  return Math.hypot(
    ((x >> 16) & 255) - ((y >> 16) & 255),
    ((x >> 8) & 255) - ((y >> 8) & 255),
    (x & 255) - (y & 255),
  );
}

// The shade buttons and links use: where the colour sits in its palette, or darker until AA.
export function legibleShade(colors: MantineColorsTuple, chosen: string): MantineColorShade {
  let at = 0;
  colors.forEach((c, i) => {
    if (distance(c, chosen.toLowerCase()) < distance(colors[at]!, chosen.toLowerCase())) at = i;
  });
  for (let i = at; i < colors.length; i += 1)
    if (contrast(colors[i]!, '#ffffff') >= AA_NORMAL) return i as MantineColorShade;
  return 9;
}

// The tenant's brand colours (#rrggbb), as the session's branding carries them.
export interface BrandColours {
  primary_color: string;
  accent_color: string;
}

export function themeFor(branding: BrandColours) {
  const brand = palette(branding.primary_color, '#1c7ed6');
  const shade = legibleShade(
    brand,
    /^#[0-9a-f]{6}$/i.test(branding.primary_color) ? branding.primary_color : '#1c7ed6',
  );
  return createTheme({
    primaryColor: 'brand',
    primaryShade: { light: shade, dark: shade },
    autoContrast: true,
    colors: {
      brand,
      accent: palette(branding.accent_color, '#f59f00'),
    },
    defaultRadius: 'md',
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  });
}
