// A new customer registers themselves at the demo desk, changes their password, signs in with the
// new one, sets up a second factor (the code computed here from the key on the page) and signs in
// with a code from then on.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { shoot } from './support';

// RFC 4648 base32 (the key as the page shows it; spaces ignored).
function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 TOTP: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits.
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30);

async function openAccount(page: Page) {
  await page.getByRole('button', { name: 'Account', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Account and security' }).click();
  await expect(page.getByRole('heading', { name: 'Account and security' })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Account', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

async function signInWith(page: Page, email: string, password: string) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a new customer registers, changes the password and signs in with a second factor', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  const email = `nora.${info.project.name}@acme.example`;
  const first = 'my first long passphrase';
  const second = 'my second long passphrase';

  // Registration, from the sign-in page.
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel(/^Service desk/).fill('demo');
  await page.getByLabel(/^Your name/).fill(`Nora New (${info.project.name})`);
  await page.getByLabel(/^Work e-mail/).fill(email);
  await page.getByLabel(/^Password/).fill(first);
  await page.getByLabel(/^Repeat the password/).fill(first);
  await shoot(page, 'register', info.project.name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/portal\/documents$/);
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  // Acme's documents: she joined Acme's organisation through her address.
  await expect(page.getByText('Invoice 2026-10', { exact: true }).first()).toBeVisible();

  // A new password; then out and in again with it.
  await openAccount(page);
  await expect(page.getByText(email).first()).toBeVisible();
  // A wrong current password is the server's 422 at the field; the page says so there.
  await page.getByLabel(/^Current password/).fill('not my password at all');
  await page.getByLabel(/^New password/).fill(second);
  await page.getByLabel(/^Repeat the new password/).fill(second);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The current password is not right.')).toBeVisible();
  await page.getByLabel(/^Current password/).fill(first);
  await page.getByLabel(/^New password/).fill(second);
  await page.getByLabel(/^Repeat the new password/).fill(second);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(
    page.getByText('Your password was changed. Other sign-ins have ended.'),
  ).toBeVisible();
  await signOut(page);
  await signInWith(page, email, first);
  await expect(page.getByText('The e-mail or password is not right.')).toBeVisible();
  await page.getByLabel('Password').fill(second);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back where she signed out (the app remembers the page), signed in.
  await expect(page).not.toHaveURL(/\/sign-in/);

  // The second factor: the key from the page, a code computed from it, recovery codes once.
  await openAccount(page);
  const mfa = page.getByRole('region', { name: 'Two-factor authentication' });
  await expect(mfa.getByText('Off', { exact: true })).toBeVisible();
  await mfa.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const qr = mfa.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const secret = (await mfa.getByLabel(/^Setup key/).inputValue()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await shoot(page, 'account-security', info.project.name);
  const enrolStep = stepNow();
  await mfa.getByLabel(/^Code from the app/).fill(totp(secret, enrolStep));
  await mfa.getByRole('button', { name: 'Turn on' }).click();
  const codes = mfa.getByRole('list', { name: 'Recovery codes' });
  await expect(codes).toBeVisible();
  await expect(codes.getByRole('listitem')).toHaveCount(10);
  const first_code = (await codes.getByRole('listitem').first().textContent())!;
  expect(first_code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    mfa.getByRole('button', { name: 'Download as text' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('recovery-codes.txt');
  expect(readFileSync((await download.path())!, 'utf8')).toContain(first_code);
  await mfa.getByRole('button', { name: 'I have saved my codes' }).click();
  await expect(codes).toHaveCount(0);
  await expect(mfa.getByText('On', { exact: true })).toBeVisible();

  // From now on sign-in asks for the code. A code works once: use the next step's if the
  // enrolment used this one (the server accepts one step either side).
  await signOut(page);
  await signInWith(page, email, second);
  await expect(page.getByText(/Enter the 6-digit code/)).toBeVisible();
  await page.getByLabel('Code').fill(totp(secret, Math.max(stepNow(), enrolStep + 1)));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await openAccount(page);
  await expect(
    page
      .getByRole('region', { name: 'Two-factor authentication' })
      .getByText('On', { exact: true }),
  ).toBeVisible();
});
