#!/usr/bin/env node
// Creates .vigor/dev-secrets.json (mode 600) for running Vigor locally, if it is missing:
//
//   {"Secrets": {"jwt-signing-keys": "<JSON string>", "admin-password": "<20 url-safe chars>"}}
//
// jwt-signing-keys is itself JSON:
//   {"activeKid":"dev-<yyyyMMdd>-<4 hex>","keys":[{"kid":"<same>","privateKeyPem":"<PKCS#8 PEM, P-256>"}]}
//
// An existing file is kept as is (only checked), so the admin password and signing key
// stay stable across runs. Delete the file to get new ones. Node 20, no dependencies.
//
//   node scripts/dev-secrets.mjs            (path override: VIGOR_DEV_SECRETS=/path/file.json)

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = process.env.VIGOR_DEV_SECRETS ? resolve(process.env.VIGOR_DEV_SECRETS) : join(repo, '.vigor', 'dev-secrets.json');
const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file) || file;
const ADMIN_EMAIL = 'admin@vigor.local';

function check(path) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${path} is not valid JSON (${e.message}); delete it to regenerate`);
  }
  const s = doc?.Secrets;
  if (typeof s?.['admin-password'] !== 'string' || typeof s?.['jwt-signing-keys'] !== 'string') {
    fail(`${path} lacks Secrets.admin-password or Secrets.jwt-signing-keys; delete it to regenerate`);
  }
  let keys;
  try {
    keys = JSON.parse(s['jwt-signing-keys']);
  } catch (e) {
    fail(`${path}: Secrets.jwt-signing-keys is not a JSON string (${e.message}); delete it to regenerate`);
  }
  if (!Array.isArray(keys?.keys) || !keys.keys.some((k) => k?.kid === keys.activeKid && typeof k.privateKeyPem === 'string')) {
    fail(`${path}: jwt-signing-keys has no key for activeKid; delete it to regenerate`);
  }
}

function fail(msg) {
  console.error(`dev-secrets: ERROR: ${msg}`);
  process.exit(1);
}

function create(path) {
  const now = new Date();
  const ymd = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`;
  const kid = `dev-${ymd}-${randomBytes(2).toString('hex')}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const jwtSigningKeys = JSON.stringify({ activeKid: kid, keys: [{ kid, privateKeyPem }] });
  // 15 random bytes -> exactly 20 base64url characters (A-Z a-z 0-9 - _).
  const adminPassword = randomBytes(15).toString('base64url');
  const doc = { Secrets: { 'jwt-signing-keys': jwtSigningKeys, 'admin-password': adminPassword } };

  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx': never overwrite a file that appeared meanwhile.
    writeFileSync(path, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
  chmodSync(path, 0o600); // in case the umask was unusual
  return kid;
}

if (existsSync(file)) {
  check(file);
  console.log(`dev-secrets: using existing ${shown} (admin ${ADMIN_EMAIL}; password: Secrets.admin-password in that file)`);
} else {
  const kid = create(file);
  if (kid === false) {
    check(file);
    console.log(`dev-secrets: using existing ${shown}`);
  } else {
    console.log(`dev-secrets: created ${shown} (mode 600), JWT signing key ${kid}`);
    console.log(`dev-secrets: admin email: ${ADMIN_EMAIL}`);
    console.log(`dev-secrets: admin password: see "Secrets" -> "admin-password" in ${shown}`);
  }
}
