// Measures what a first visit downloads before any screen: the JavaScript and CSS that
// dist/index.html loads (its module script and modulepreload links), raw and gzip (level 9).
// Usage: node scripts/initial-size.mjs [dist]   (after npm run build)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const totals = { js: [0, 0], css: [0, 0] };
// The report is this script's output (stdout), not a diagnostic.
const print = (line) => process.stdout.write(`${line}\n`);
for (const file of new Set(files)) {
  const bytes = readFileSync(join(dist, file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  const kind = file.endsWith('.js') ? 'js' : 'css';
  totals[kind][0] += bytes.length;
  totals[kind][1] += gz;
  print(
    `${file.padEnd(44)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip`,
  );
}
for (const [kind, [raw, gz]] of Object.entries(totals))
  print(
    `initial ${kind.padEnd(3)} ${(raw / 1024).toFixed(1).padStart(45)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip`,
  );
