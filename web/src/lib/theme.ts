// The Mantine theme from a tenant's branding: its primary and accent colours become 10-shade
// palettes (Mantine's own generator), so every component follows the brand.
import { generateColors } from '@mantine/colors-generator';
import { createTheme, type MantineColorsTuple } from '@mantine/core';
import type { Branding } from '@/features/auth/session';

export function themeFor(branding: Branding) {
  const safe = (hex: string, fallback: string): MantineColorsTuple => {
    try {
      return generateColors(hex);
    } catch {
      return generateColors(fallback);
    }
  };
  return createTheme({
    primaryColor: 'brand',
    colors: {
      brand: safe(branding.primary_color, '#1c7ed6'),
      accent: safe(branding.accent_color, '#f59f00'),
    },
    defaultRadius: 'md',
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  });
}
