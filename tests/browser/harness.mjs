// harness: the browser tests' world. Starts the real `paroletrack serve` on a free loopback
// port with a fresh database and key in a temporary directory, creates users through the CLI,
// talks to the API as a signed-in user (for setup behind the browser's back), launches Debian's
// Chromium headless through playwright-core, and stops everything at the end.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const FIRM_TZ = "America/New_York";
const BIN = process.env.PAROLETRACK_BIN;
const CHROMIUM = process.env.PAROLETRACK_CHROMIUM || "/usr/bin/chromium";

// Start the server (extraArgs after the defaults, so a later --timezone wins); resolves to
// {base, dir, db, log(), stop()}.
export async function startServer(extraArgs = []) {
  if (!BIN) throw new Error("PAROLETRACK_BIN is not set");
  const dir = mkdtempSync(join(tmpdir(), "paroletrack-browser-"));
  const db = join(dir, "test.db");
  const child = spawn(BIN, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--timezone", FIRM_TZ, ...extraArgs], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
  return {
    base, dir, db,
    log: () => log,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.on("exit", r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Create a user through the CLI (password on standard input).
export function addUser(server, { email, name, role, password }) {
  const r = spawnSync(BIN, ["user", "add", "--db", server.db, "--email", email, "--name", name, "--role", role], { input: `${password}\n`, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`user add failed: ${r.stderr}`);
}

// Run a CLI command against a server's database: `paroletrack <command> --db <db> ...args`, with
// extra environment variables. Asynchronous, so a stand-in service the command talks to may run
// in this process. Resolves to {status, stdout, stderr}; a command still running after
// timeoutMs is killed and the promise rejects.
export function runCli(server, command, args = [], { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, [command, "--db", server.db, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (chunk) => { stdout += chunk; });
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${command} did not finish in ${timeoutMs} ms:\n${stderr}`)); }, timeoutMs);
    child.on("error", (error) => { clearTimeout(timer); reject(error); });
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

// An API client signed in as a user with a password-only session (cookie + CSRF token).
export async function apiSession(server, email, password) {
  const r = await fetch(`${server.base}/api/v1/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (r.status !== 201) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const cookie = r.headers.get("set-cookie").split(";")[0];
  const { csrf_token: csrf } = await r.json();
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${server.base}${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { Cookie: cookie, "X-CSRF-Token": csrf, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    });
    const text = await res.text();
    return { status: res.status, data: text ? JSON.parse(text) : null };
  };
}

// A TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) for a base32 secret, `stepOffset` steps away.
export function totp(secretBase32, stepOffset = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secretBase32.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + stepOffset));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, "0");
}

// Launch Chromium headless.
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--disable-sync", "--disable-extensions"],
  });
}

// Where screenshots go: $PAROLETRACK_ARTIFACTS, else browser-artifacts/ in the working directory.
export function artifactsDir() {
  const dir = process.env.PAROLETRACK_ARTIFACTS || join(process.cwd(), "browser-artifacts");
  mkdirSync(dir, { recursive: true });
  return dir;
}

// A date n days from today in the firm's zone, "YYYY-MM-DD".
export function firmDay(n = 0) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: FIRM_TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const [y, m, d] = parts.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
