// Records, in package-lock.json, the platform-specific optional packages that npm could not
// resolve on this machine's registry mirror (it lacks some darwin/win32 builds), so that
// `npm ci` sees a complete lockfile. The entries carry os/cpu, so npm skips them on every
// other platform exactly as it would skip a resolved entry; nothing is installed from them.
// Run after any `npm install` that rewrites the lockfile: `node scripts/record-platform-packages.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const OPERATING_SYSTEMS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix'];
const CPUS = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'wasm32'];

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentDirectory = location === '' ? '' : `${location}/`;
    const candidates = [`${parentDirectory}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((candidate) => packages[candidate])) continue;
    const tokens = name.split(/[/-]/);
    const os = OPERATING_SYSTEMS.find((value) => tokens.includes(value));
    const cpu = CPUS.find((value) => tokens.includes(value));
    if (!os || !cpu) continue; // not a platform binary: leave it for npm to report
    const version = String(range).replace(/^[\^~=]/, '');
    packages[`node_modules/${name}`] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(tokens.includes('musl') || tokens.includes('musleabihf') ? { libc: ['musl'] } : {}),
      ...(tokens.includes('gnu') || tokens.includes('gnueabihf') ? { libc: ['glibc'] } : {}),
    };
    added += 1;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`recorded ${added} platform package(s) missing from the lockfile`);
