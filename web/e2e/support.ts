// What the journeys share: the demo users and signing in through the real form.
import { expect, type Page } from '@playwright/test';

export const PASSWORD = process.env.KONTOR_DEMO_PASSWORD ?? 'kontor-demo-2026';
export const USERS = {
  client: 'carl@acme.example',
  customerAdmin: 'anna@acme.example',
  expert: 'expert@demo.example',
  manager: 'manager@demo.example',
  admin: 'admin@kontor.example',
} as const;

export async function signIn(page: Page, email: string, path = '/') {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

// Saves a screenshot of a main screen for the README (desktop only, and only when asked:
// KONTOR_SCREENSHOTS=1, i.e. `make screenshots`).
// From the top of the page (the fixed header stays where it belongs), without the passing
// notifications, and with the caret and focus ring of the last input out of the way.
export async function shoot(page: Page, name: string, project: string) {
  if (project !== 'desktop' || !process.env.KONTOR_SCREENSHOTS) return;
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({
    path: `../docs/screenshots/${name}.png`,
    fullPage: true,
    style: '.mantine-Notifications-root { display: none !important; }',
  });
}
