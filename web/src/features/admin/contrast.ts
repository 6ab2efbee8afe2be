// WCAG 2 contrast for the branding screen. The app paints buttons, links and the product name in
// the theme's primary shade (src/lib/theme.ts: where the chosen colour sits in its generated
// palette, or a darker shade of it when that is below AA against white), so that shade is what
// is checked and shown.
import { contrast } from '@/lib/color';
import { themeFor } from '@/lib/theme';

export const HEX = /^#[0-9a-fA-F]{6}$/;
export { AA_NORMAL, contrast, luminance } from '@/lib/color';

// The shades the app would use for this primary colour.
export function brandShades(primary: string) {
  const theme = themeFor({ primary_color: primary, accent_color: '#f59f00' });
  const brand = theme.colors?.brand ?? [];
  const shade = typeof theme.primaryShade === 'object' ? (theme.primaryShade.light ?? 6) : 6;
  return { filled: brand[shade] ?? primary, title: brand[shade] ?? primary };
}

// The shade buttons and links get for this colour and its contrast with white, next to the
// colour's own: they differ when the colour is too light and the theme takes a darker shade.
export function primaryContrast(primary: string) {
  const { filled } = brandShades(primary);
  return {
    shade: filled,
    ratio: contrast(filled, '#ffffff'),
    own: contrast(primary, '#ffffff'),
    darker: filled.toLowerCase() !== primary.toLowerCase(),
  };
}
