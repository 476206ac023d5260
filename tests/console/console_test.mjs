// End-to-end test of the web console: a real vigie-collector on loopback, real TLS (the server
// key is pinned, never ignored), headless Chromium driven through playwright-core.
//
//   node console_test.mjs PATH/TO/vigie-collector PATH/TO/vigie-agent
//
// The agent is enrolled and fed one crm.view of a watch-listed record, so that the collector's
// real-time rules raise a real alert for the Alerts view.
//
// Exit code 0 when every step passed, 1 otherwise (2 for bad usage).

import { spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.VIGIE_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15000;

const ACCOUNTS = {
  auditor: { user: 'auditor1', role: 'auditor', password: 'auditor1-Passw0rd!' },
  locked: { user: 'auditor2', role: 'auditor', password: 'auditor2-Passw0rd!' },
  dpo1: { user: 'dpo1', role: 'dpo', password: 'dpo1-long-Passw0rd!' },
  dpo2: { user: 'dpo2', role: 'dpo', password: 'dpo2-long-Passw0rd!' },
  crm: { user: 'crm-acme', role: 'integration', brand: 'acme', password: 'crm-acme-Passw0rd!' },
};

const PSEUDONYM = /^p-[0-9a-f]{10}$/;

const binary = process.argv[2];
const agentBinary = process.argv[3];
if (!binary || !agentBinary) {
  console.error('usage: node console_test.mjs PATH/TO/vigie-collector PATH/TO/vigie-agent');
  process.exit(2);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-console-'));
let collector = null;
let collectorLog = '';
let agent = null;
const browsers = [];

function step(text) {
  console.log('- ' + text);
}

// ---- the collector -------------------------------------------------------------------------

function addAccount({ user, role, brand, password }) {
  const args = ['--data-dir', dataDir, '--add-account', user, '--role', role];
  if (brand) args.push('--brand', brand);
  const result = spawnSync(binary, args, { input: password + '\n', encoding: 'utf8', timeout: 60000 });
  if (result.status !== 0) {
    throw new Error(
      `--add-account ${user} failed (status ${result.status}, signal ${result.signal}): ` +
        (result.stderr || '') + (result.stdout || ''),
    );
  }
}

function startCollector() {
  return new Promise((resolve, reject) => {
    collector = spawn(
      binary,
      ['--data-dir', dataDir, '--listen', '127.0.0.1:0', '--server-names', 'localhost,127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const timer = setTimeout(() => reject(new Error('the collector did not say where it listens')), 30000);
    collector.stderr.setEncoding('utf8');
    collector.stderr.on('data', (chunk) => {
      collectorLog = (collectorLog + chunk).slice(-20000);
    });
    collector.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited (code ${code}, signal ${signal})`));
    });
    const lines = readline.createInterface({ input: collector.stdout });
    let first = true;
    lines.on('line', (line) => {
      if (!first) return; // keep draining stdout
      first = false;
      clearTimeout(timer);
      const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
      else reject(new Error('unexpected first line from the collector: ' + line));
    });
  });
}

async function stopCollector() {
  if (!collector || collector.exitCode !== null || collector.signalCode !== null) return;
  const exited = new Promise((resolve) => collector.once('exit', resolve));
  collector.kill('SIGTERM');
  const timer = setTimeout(() => collector.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// ---- a real agent, fed as a session sensor would ---------------------------------------------

async function startAgent(base) {
  const agentDir = path.join(dataDir, 'agent');
  const socket = path.join(dataDir, 'agent.sock');
  const enroll = spawnSync(
    agentBinary,
    ['enroll', '--collector', base, '--ca-file', path.join(dataDir, 'ca.pem'),
      '--secret-file', path.join(dataDir, 'enrollment.secret'), '--data-dir', agentDir,
      '--device-id', 'PC-114'],
    { encoding: 'utf8', timeout: 60000 },
  );
  if (enroll.status !== 0) {
    throw new Error(`vigie-agent enroll failed (status ${enroll.status}): ${enroll.stderr}${enroll.stdout}`);
  }
  agent = spawn(agentBinary, ['run', '--data-dir', agentDir, '--socket', socket, '--linger-ms', '20'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  for (let i = 0; i < 200 && !fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(socket), 'the agent did not open its socket');
  return socket;
}

// One crm.view draft on the agent's socket; resolves to its reply line ("ok SEQ").
function sendView(socket, recordId) {
  const draft = {
    type: 'crm.view',
    session: '4',
    data: { app: 'crm-web', screen: 'customer', record_id: recordId, mode: 'view', brand: 'Acme' },
  };
  return new Promise((resolve, reject) => {
    const stream = net.createConnection(socket);
    let text = '';
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error('the agent did not answer'));
    }, 15000);
    stream.setEncoding('utf8');
    stream.on('connect', () => stream.write(JSON.stringify(draft) + '\n'));
    stream.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        stream.end();
        resolve(text.slice(0, text.indexOf('\n')));
      }
    });
    stream.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function stopAgent() {
  if (agent && agent.exitCode === null && agent.signalCode === null) agent.kill('SIGTERM');
}

// ---- the API from Node (seeding, and checks the browser cannot make) ------------------------

let port = 0;
let ca = null;

function call(method, route, { token, body, contentType } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (payload !== null) {
      headers['Content-Type'] = contentType || 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const request = https.request(
      { host: '127.0.0.1', port, method, path: route, headers, ca, timeout: 30000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolve({ status: response.statusCode, headers: response.headers, json, text });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${route} timed out`)));
    request.on('error', reject);
    if (payload !== null) request.write(payload);
    request.end();
  });
}

async function apiLogin({ user, password }) {
  const answer = await call('POST', '/v1/auth/login', { body: { user, password } });
  assert.equal(answer.status, 200, `login ${user}: ${answer.status} ${answer.text}`);
  return answer.json.token;
}

function minutesAgo(minutes) {
  return new Date(Date.now() - minutes * 60000).toISOString();
}

async function seedCrmRecords() {
  const token = await apiLogin(ACCOUNTS.crm);
  const lines = [
    { id: 'A-75', time: minutesAgo(50), user: 'jdupont', record_id: 'C-1042', action: 'create', fields: ['name', 'address'] },
    { id: 'A-76', time: minutesAgo(40), user: 'jdupont', record_id: 'C-1042', action: 'update', fields: ['iban', 'address'] },
    { id: 'A-77', time: minutesAgo(30), user: 'jdupont', record_id: 'C-1042', action: 'export', fields: ['iban'] },
  ];
  // A longer history for another record, to page through.
  for (let i = 0; i < 60; i++) {
    lines.push({ id: `B-${i}`, time: minutesAgo(120 - i), user: 'mmartin', record_id: 'C-7', action: 'update', fields: ['phone'] });
  }
  const body = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
  const answer = await call('POST', '/v1/crm-events', { token, body, contentType: 'application/x-ndjson' });
  assert.equal(answer.status, 200, `crm-events: ${answer.status} ${answer.text}`);
  assert.equal(answer.json.accepted, lines.length, `crm-events: ${answer.text}`);
  await call('POST', '/v1/auth/logout', { token });
}

// A colleague's record on the watch-list, then viewed through the agent: the real-time engine
// raises a "watchlist" alert at once. Returns the alert.
async function raiseWatchlistAlert(base) {
  const token = await apiLogin(ACCOUNTS.dpo1);
  const put = await call('PUT', '/v1/watchlist/C-9001?brand=Acme', {
    token,
    body: { kind: 'colleague', login: 'jdupont', reason: "jdupont's own customer record" },
  });
  assert.equal(put.status, 200, `watchlist: ${put.status} ${put.text}`);
  const socket = await startAgent(base);
  const reply = await sendView(socket, 'C-9001');
  assert.match(reply, /^ok /, 'the agent accepted the view');
  let alert = null;
  for (let i = 0; i < 150 && !alert; i++) {
    const answer = await call('GET', '/v1/alerts?rule=watchlist', { token });
    assert.equal(answer.status, 200, `alerts: ${answer.status} ${answer.text}`);
    alert = answer.json.items[0] || null;
    if (!alert) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(alert, 'no watchlist alert was raised');
  await call('POST', '/v1/auth/logout', { token });
  return alert;
}

// ---- the browser ---------------------------------------------------------------------------

// base64(SHA-256(SubjectPublicKeyInfo)) of the server certificate: Chromium accepts that key and
// nothing else that its own roots would not accept.
function serverKeyPin() {
  const certificate = new crypto.X509Certificate(fs.readFileSync(path.join(dataDir, 'server.pem')));
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('base64');
}

async function launch(pin) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless=new', `--ignore-certificate-errors-spki-list=${pin}`],
  });
  browsers.push(browser);
  return browser;
}

async function waitUntil(page, what, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: STEP_TIMEOUT_MS });
  } catch (error) {
    throw new Error(`timed out waiting for ${what}`);
  }
}

async function textOf(locator) {
  await locator.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  return (await locator.textContent()).trim();
}

async function login(page, { user, password }) {
  await page.getByTestId('login-view').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await page.getByTestId('login-user').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

async function loginOk(page, account) {
  await login(page, account);
  await waitUntil(
    page,
    `${account.user} to be logged in`,
    (user) => {
      const who = document.querySelector('[data-testid=whoami]');
      return who && !who.hidden && who.textContent.startsWith(user + ' ');
    },
    account.user,
  );
}

async function logout(page) {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-view').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the token is forgotten on logout');
}

async function searchRecord(page, id) {
  await page.getByTestId('nav-record').click();
  await page.getByTestId('record-id').fill(id);
  await page.getByTestId('record-submit').click();
  await waitUntil(
    page,
    `the history of ${id}`,
    () => document.querySelectorAll('#record-results [data-testid=result-row]').length > 0,
  );
  return page.locator('#record-results [data-testid=result-row]');
}

// Opens the reveal form from the first row's pseudonym and sends it; returns the request id.
async function requestRevealFromFirstRow(page, reason) {
  const button = page.locator('#record-results [data-testid=reveal-request-btn]').first();
  const pseudonym = await button.getAttribute('data-pseudonym');
  assert.match(pseudonym, PSEUDONYM);
  await button.click();
  await page.getByTestId('reveal-dialog').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await page.getByTestId('reveal-pseudonym').inputValue(), pseudonym);
  await page.getByTestId('reveal-reason').fill(reason);
  await page.getByTestId('reveal-submit').click();
  const row = page.locator('[data-testid=reveal-row]', { hasText: reason });
  await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await row.getAttribute('data-status'), 'pending');
  assert.equal(await row.getAttribute('data-mine'), 'yes');
  return { id: await row.getAttribute('data-id'), pseudonym };
}

async function revealRow(page, id) {
  await page.getByTestId('nav-reveals').click();
  const row = page.locator(`[data-testid=reveal-row][data-id="${id}"]`);
  await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  return row;
}

// ---- the scenario --------------------------------------------------------------------------

async function scenario() {
  // The first accounts are made before the first start, as an installer would.
  for (const account of Object.values(ACCOUNTS)) addAccount(account);
  step(`accounts added: ${Object.values(ACCOUNTS).map((a) => `${a.user} (${a.role})`).join(', ')}`);

  port = await startCollector();
  ca = fs.readFileSync(path.join(dataDir, 'ca.pem'));
  const base = `https://127.0.0.1:${port}`;
  step(`collector listening on port ${port}`);

  await seedCrmRecords();
  step('CRM records seeded through the integration account');

  const raised = await raiseWatchlistAlert(base);
  assert.match(raised.person, PSEUDONYM);
  step(`a real agent viewed watch-listed record C-9001: alert #${raised.id} (${raised.rule}, ${raised.severity})`);

  const pin = serverKeyPin();

  // TLS really is verified: with another key pinned, Chromium refuses the collector.
  {
    const wrongPin = crypto.createHash('sha256').update('not the server key').digest('base64');
    const browser = await launch(wrongPin);
    const page = await browser.newPage();
    await assert.rejects(page.goto(base + '/console/'), /ERR_CERT/, 'an unpinned key is refused');
    await browser.close();
    step('a browser without the pinned key refuses the collector certificate');
  }

  const browser = await launch(pin);
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push('console: ' + message.text());
  });

  const response = await page.goto(base + '/console/');
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'] || '';
  assert.match(csp, /default-src 'self'/, 'the console is served with its CSP');
  step('console loaded over pinned TLS with its Content-Security-Policy');

  // Wrong password, then the right one.
  await login(page, { user: ACCOUNTS.auditor.user, password: 'not-the-right-password' });
  assert.match(await textOf(page.getByTestId('login-error')), /wrong user or password/i);
  step('wrong password: error shown');
  await loginOk(page, ACCOUNTS.auditor);
  step('auditor logged in');

  // The record's history shows pseudonyms, never the login.
  const rows = await searchRecord(page, 'C-1042');
  assert.ok((await rows.count()) >= 3, 'the three CRM changes of C-1042');
  const users = await page.locator('#record-results [data-testid=pseudonym]').allTextContents();
  assert.ok(users.length >= 3, 'a user on every row');
  for (const user of users) assert.match(user, PSEUDONYM);
  assert.equal(new Set(users).size, 1, 'one person, one pseudonym');
  const resultsText = await page.getByTestId('record-results').textContent();
  assert.ok(!resultsText.includes('jdupont'), 'the login never appears in results');
  assert.ok(resultsText.includes('iban'), 'field names are shown');
  step(`record C-1042: ${await rows.count()} rows, user ${users[0]}`);

  // Paging with the "more" button.
  const longRows = await searchRecord(page, 'C-7');
  assert.equal(await longRows.count(), 50, 'first page');
  await page.locator('#record-results [data-testid=more]').click();
  await waitUntil(page, 'the second page', () => document.querySelectorAll('#record-results [data-testid=result-row]').length === 60);
  assert.ok(await page.locator('#record-results [data-testid=more]').isHidden(), 'no third page');
  step('record C-7: 50 rows, then 60 after "more"');

  // The timeline by login and the exports answer with the same pseudonym.
  await page.getByTestId('nav-timeline').click();
  await page.getByTestId('timeline-user').fill('jdupont');
  await page.getByTestId('timeline-submit').click();
  await waitUntil(page, 'the timeline', () => document.querySelectorAll('#timeline-results [data-testid=result-row]').length >= 3);
  const timelineUsers = await page.locator('#timeline-results [data-testid=pseudonym]').allTextContents();
  assert.deepEqual([...new Set(timelineUsers)], [users[0]], 'the timeline shows the pseudonym');
  assert.ok(!(await page.getByTestId('timeline-results').textContent()).includes('jdupont'));
  step('timeline of jdupont shows only its pseudonym');

  await page.getByTestId('nav-exports').click();
  await page.getByTestId('exports-submit').click();
  await waitUntil(page, 'the exports', () => document.querySelectorAll('#exports-results [data-testid=result-row]').length >= 1);
  assert.ok((await page.getByTestId('exports-results').textContent()).includes('C-1042'), 'the CRM export');
  step('exports list the CRM export of C-1042');

  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('incidents-submit').click();
  await waitUntil(page, 'the incidents answer', () =>
    /no integrity incidents/i.test(document.querySelector('[data-testid=incidents-status]').textContent));
  step('integrity incidents: none');

  // The auditor asks for the identity behind the pseudonym.
  await searchRecord(page, 'C-1042');
  const auditorReason = 'Complaint 2026-114: customer disputes an IBAN change on C-1042';
  const auditorRequest = await requestRevealFromFirstRow(page, auditorReason);
  assert.equal(auditorRequest.pseudonym, users[0]);
  step(`auditor requested reveal #${auditorRequest.id}`);
  await logout(page);
  step('auditor logged out');

  // dpo1 cannot approve its own request, and approves the auditor's.
  await loginOk(page, ACCOUNTS.dpo1);
  await searchRecord(page, 'C-1042');
  const ownRequest = await requestRevealFromFirstRow(page, 'Second opinion on complaint 2026-114 for C-1042');
  const ownRow = await revealRow(page, ownRequest.id);
  assert.equal(await ownRow.getByTestId('reveal-approve').count(), 0, 'no approve button on its own request');
  const dpo1Token = await page.evaluate(() => sessionStorage.getItem('vigie.token'));
  const selfApproval = await call('POST', `/v1/reveals/${ownRequest.id}/approve`, { token: dpo1Token });
  assert.equal(selfApproval.status, 403, `self-approval: ${selfApproval.status} ${selfApproval.text}`);
  step(`dpo1 cannot approve its own request #${ownRequest.id} (no button; the API answers 403)`);

  const auditorRow = await revealRow(page, auditorRequest.id);
  assert.equal(await auditorRow.getAttribute('data-status'), 'pending');
  await auditorRow.getByTestId('reveal-approve').click();
  // Once decided, the request may leave dpo1's list (it lists its own and those waiting).
  await waitUntil(
    page,
    'the approval',
    (id) => new RegExp(`^Request ${id} approved`).test(document.querySelector('[data-testid=reveals-status]').textContent),
    auditorRequest.id,
  );
  step(`dpo1 approved reveal #${auditorRequest.id}`);
  await logout(page);

  // The auditor reads the identity.
  await loginOk(page, ACCOUNTS.auditor);
  const approvedRow = await revealRow(page, auditorRequest.id);
  assert.equal(await approvedRow.getAttribute('data-status'), 'approved');
  await approvedRow.getByTestId('reveal-show').click();
  assert.equal(await textOf(approvedRow.getByTestId('reveal-identity')), 'jdupont');
  step('auditor sees the identity jdupont for the approved request');

  // Fleet status is not for auditors.
  await page.getByTestId('nav-fleet').click();
  await waitUntil(page, 'the fleet answer', () =>
    /not available for your role/i.test(document.querySelector('[data-testid=fleet-status]').textContent));
  step('fleet status: not available for an auditor');
  await logout(page);

  // dpo2 reads the trail and verifies the chain.
  await loginOk(page, ACCOUNTS.dpo2);
  await page.getByTestId('nav-trail').click();
  await waitUntil(page, 'the trail', () => document.querySelectorAll('#trail-results [data-testid=result-row]').length > 0);
  for (let pages = 0; pages < 100; pages++) {
    const more = page.locator('#trail-results [data-testid=more]');
    if (await more.isHidden()) break;
    const before = await page.locator('#trail-results [data-testid=result-row]').count();
    await more.click();
    await waitUntil(page, 'the next trail page', (n) => document.querySelectorAll('#trail-results [data-testid=result-row]').length > n, before);
  }
  const trail = await page.locator('#trail-results [data-testid=result-row]').evaluateAll((rows) =>
    rows.map((row) => [...row.cells].map((cell) => cell.textContent)),
  );
  // Columns: seq, time, actor, role, brand, action, detail, outcome, hash.
  const entries = trail.map(([seq, time, actor, role, brand, action, detail, outcome]) => ({ seq, actor, role, action, detail, outcome }));
  const find = (what, test) => {
    const found = entries.filter(test);
    assert.ok(found.length > 0, `no trail entry for ${what}; trail:\n` + entries.map((e) => JSON.stringify(e)).join('\n'));
    return found;
  };
  // The collector names each entry by method and route pattern; detail holds what it was about.
  const idIs = (id) => new RegExp(`(^|; )id: ${id}(;|$)`);
  find('the reveal request', (e) => e.actor === 'auditor1' && e.action === 'POST /v1/reveals' &&
    e.outcome === '201' && e.detail.includes(auditorReason) && idIs(auditorRequest.id).test(e.detail));
  find('the approval', (e) => e.actor === 'dpo1' && e.action === 'POST /v1/reveals/{}/approve' &&
    e.outcome === '200' && idIs(auditorRequest.id).test(e.detail));
  find('the refused self-approval', (e) => e.actor === 'dpo1' && e.action === 'POST /v1/reveals/{}/approve' &&
    e.outcome === '403');
  find('the reading of the identity', (e) => e.actor === 'auditor1' && e.action === 'GET /v1/reveals/{}' &&
    e.outcome === '200' && idIs(auditorRequest.id).test(e.detail) && e.detail.includes('identity_shown: true'));
  step(`trail (${entries.length} entries) shows the request, the approval, the refused self-approval and the identity reading`);

  await page.getByTestId('trail-verify').click();
  const verdict = page.getByTestId('trail-verify-result');
  assert.match(await textOf(verdict), /ok/i);
  assert.equal(await verdict.getAttribute('data-ok'), 'true');
  step(`verify chain: ${await verdict.textContent()}`);

  // The alert, from the list to its detail, acknowledged then closed.
  await page.getByTestId('nav-alerts').click();
  const alertRow = page.locator(`#alerts-results [data-testid=result-row]`, { hasText: 'C-9001' });
  await alertRow.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await textOf(alertRow.getByTestId('alert-rule')), 'watchlist');
  assert.equal(await textOf(alertRow.getByTestId('alert-status')), 'open');
  assert.equal(await textOf(alertRow.getByTestId('pseudonym')), raised.person);
  const alertsText = await page.getByTestId('alerts-results').textContent();
  assert.ok(!alertsText.includes('jdupont'), 'no login in the alerts list');
  assert.ok(!alertsText.includes(os.userInfo().username + ' '), 'no login in the alerts list');
  step(`alerts view lists #${raised.id} as open, person ${raised.person}`);

  await alertRow.getByTestId('alert-open').click();
  const detail = page.getByTestId('alert-detail');
  await detail.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  assert.equal(await detail.getAttribute('data-id'), String(raised.id));
  const evidence = page.locator('#alert-evidence [data-testid=evidence-row]');
  assert.ok((await evidence.count()) >= 1, 'the evidence is shown');
  const evidenceText = await page.getByTestId('alert-evidence').textContent();
  assert.ok(evidenceText.includes('crm.view') && evidenceText.includes('C-9001'), evidenceText);
  assert.equal(await textOf(page.getByTestId('alert-person')), raised.person);
  assert.ok(!(await detail.textContent()).includes('jdupont'), 'no login in the detail');
  step(`detail of #${raised.id}: ${await evidence.count()} evidence row(s), ${evidenceText.includes('PC-114') ? 'device PC-114' : 'device shown'}`);

  await page.getByTestId('alert-comment').fill('Looking into it with the team leader');
  await page.getByTestId('alert-ack').click();
  await waitUntil(page, 'the acknowledgement', () =>
    document.querySelector('[data-testid=alert-detail]').dataset.status === 'acknowledged');
  assert.ok(await page.getByTestId('alert-ack').isHidden(), 'no second acknowledgement');
  step(`#${raised.id} acknowledged`);

  await page.getByTestId('alert-close-true').click();
  assert.match(await textOf(page.getByTestId('alert-action-status')), /before closing/i);
  await page.getByTestId('alert-comment').fill('Confirmed: the agent opened a colleague record without a ticket');
  await page.getByTestId('alert-close-true').click();
  await waitUntil(page, 'the closing', () =>
    document.querySelector('[data-testid=alert-detail]').dataset.status === 'closed');
  assert.equal(await textOf(page.getByTestId('alert-verdict')), 'true_positive');
  assert.ok(await page.getByTestId('alert-close-false').isHidden(), 'a closed alert offers no action');
  await page.getByTestId('alerts-filter-status').selectOption('closed');
  const closedRow = page.locator(`#alerts-results [data-testid=result-row]`, { hasText: 'C-9001' });
  await waitUntil(page, 'the closed list', () =>
    [...document.querySelectorAll('#alerts-results [data-testid=alert-status]')].some((n) => n.textContent === 'closed'));
  assert.equal(await textOf(closedRow.getByTestId('alert-status')), 'closed');
  const closedByApi = await call('GET', `/v1/alerts/${raised.id}`, {
    token: await page.evaluate(() => sessionStorage.getItem('vigie.token')),
  });
  assert.equal(closedByApi.json.verdict, 'true_positive');
  assert.equal(closedByApi.json.updated_by, ACCOUNTS.dpo2.user);
  step(`#${raised.id} closed as a true positive with a comment`);
  await logout(page);

  // Too many failed logins: the console says when to retry.
  for (let i = 0; i < 5; i++) {
    await login(page, { user: ACCOUNTS.locked.user, password: `wrong-password-${i}` });
    await waitUntil(page, 'the login error', () => !document.querySelector('[data-testid=login-error]').hidden);
    await waitUntil(page, 'the login form', () => !document.querySelector('[data-testid=login-submit]').disabled);
  }
  await login(page, ACCOUNTS.locked);
  await waitUntil(page, 'the rate-limit message', () =>
    /too many attempts, retry in \d+ s/i.test(document.querySelector('[data-testid=login-error]').textContent));
  step(`rate limit: "${await page.getByTestId('login-error').textContent()}"`);

  assert.deepEqual(problems, [], 'no script error and no CSP violation in the page');
  step('no script errors, no CSP violations');
}

async function main() {
  let failed = false;
  try {
    await scenario();
    console.log('PASS console e2e');
  } catch (error) {
    failed = true;
    console.error('FAIL console e2e: ' + (error && error.stack ? error.stack : error));
    if (collectorLog) console.error('--- collector stderr (tail) ---\n' + collectorLog.slice(-4000));
  } finally {
    for (const browser of browsers) await browser.close().catch(() => {});
    stopAgent();
    await stopCollector().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (collector && collector.exitCode === null) collector.kill('SIGKILL');
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  });
}

process.exitCode = await main();
