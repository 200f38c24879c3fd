// Browser test of the ivp2p viewer page, against an already running viewer (VIEWER_URL).
// It drives Debian's Chromium headless through playwright-core and asserts on what a person sees:
// the page's text and the <video> element's own properties. Every wait has a deadline.
//
//   VIEWER_URL=http://127.0.0.1:18080 ARTIFACT_DIR=/tmp/artifacts node --test tests-browser/
//
// Environment: VIEWER_URL (required), ARTIFACT_DIR (required; created), CHROMIUM (default
// /usr/bin/chromium), EXPECT_WIDTH / EXPECT_HEIGHT (default 640 / 360, the sample camera's clip).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const VIEWER_URL = (process.env.VIEWER_URL || '').replace(/\/+$/, '');
const ARTIFACT_DIR = process.env.ARTIFACT_DIR || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EXPECT_WIDTH = Number(process.env.EXPECT_WIDTH || 640);
const EXPECT_HEIGHT = Number(process.env.EXPECT_HEIGHT || 360);
const WAIT_MS = 20000;       // the deadline of each wait below
const CAPTURE_BYTES = 400 * 1024;

if (!VIEWER_URL || !ARTIFACT_DIR) {
  throw new Error('set VIEWER_URL (e.g. http://127.0.0.1:18080) and ARTIFACT_DIR (where the screenshot and FLV go)');
}
fs.mkdirSync(ARTIFACT_DIR, { recursive: true });
const SCREENSHOT = path.join(ARTIFACT_DIR, 'viewer.png');
const CAPTURE = path.join(ARTIFACT_DIR, 'live.flv');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls fn until it returns a truthy value; fails after timeoutMs, saying what it last saw.
async function waitFor(what, fn, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
    }
    await sleep(250);   // poll interval only; nothing asserts on timing
  }
}

describe('viewer page in Chromium', { concurrency: 1 }, () => {
  let browser = null;
  let page = null;
  const consoleErrors = [];
  let failed = false;
  let screenshotTaken = false;

  async function screenshot() {
    if (!page || screenshotTaken) return;
    try {
      await page.screenshot({ path: SCREENSHOT, fullPage: true, timeout: 10000 });
      screenshotTaken = true;
      console.log(`screenshot: ${SCREENSHOT}`);
    } catch (e) {
      console.log(`screenshot failed: ${e.message}`);
    }
  }

  // Runs one step; on its failure saves the screenshot at that moment, prints the page's console
  // errors and the visible status, and skips the steps after it (they build on each other).
  function step(name, fn) {
    it(name, async (t) => {
      if (failed) { t.skip('an earlier step failed'); return; }
      try {
        await fn();
      } catch (e) {
        failed = true;
        await screenshot();
        if (page) {
          const shown = await page.evaluate(() => ['state', 'mode', 'player-status', 'command-reply', 'latency', 'resolution', 'frames']
            .map((id) => `  #${id}: ${document.getElementById(id)?.textContent.trim().replace(/\s+/g, ' ') ?? '(not on the page)'}`).join('\n'))
            .catch(() => '  (page not readable)');
          console.log(`page shows:\n${shown}`);
        }
        console.log(consoleErrors.length ? `page console errors:\n  ${consoleErrors.join('\n  ')}` : 'page console errors: none');
        throw e;
      }
    });
  }

  const text = (sel) => page.locator(sel).innerText({ timeout: 5000 });
  const videoProps = () => page.evaluate(() => {
    const v = document.getElementById('video');
    return { w: v.videoWidth, h: v.videoHeight, t: v.currentTime, paused: v.paused, err: v.error && v.error.message };
  });

  // What a person sees: a picture of the right size whose time moves on.
  async function assertPlays(label) {
    const first = await waitFor(`${label}: video.videoWidth > 0`, async () => {
      const p = await videoProps();
      return p.w > 0 ? p : null;
    });
    assert.equal(first.w, EXPECT_WIDTH, `${label}: video width`);
    assert.equal(first.h, EXPECT_HEIGHT, `${label}: video height`);
    const t0 = (await videoProps()).t;
    const later = await waitFor(`${label}: video.currentTime to advance past ${t0.toFixed(2)}`, async () => {
      const p = await videoProps();
      return p.t > t0 + 0.5 ? p : null;
    });
    console.log(`${label}: ${first.w}x${first.h}, currentTime ${t0.toFixed(2)} -> ${later.t.toFixed(2)}`);
  }

  // The reply the page shows for a command: its head line and the pretty JSON under it.
  async function clickCommand(cmdName, dir) {
    const sel = dir ? `button[data-cmd*='"dir":"${dir}"']` : `button[data-cmd*='"${cmdName}"']`;
    const head = `${cmdName}${dir ? ` ${dir}` : ''}`;
    await page.evaluate(() => { document.getElementById('command-reply').textContent = ''; });
    await page.locator(sel).click({ timeout: 5000 });
    const shown = await waitFor(`#command-reply to show the reply to ${head}`, () => page.evaluate(() => {
      const box = document.getElementById('command-reply');
      const h = box.querySelector('.reply-head');
      const pre = box.querySelector('pre');
      return h ? { head: h.textContent, json: pre ? pre.textContent : '', error: box.classList.contains('error') } : null;
    }));
    assert.ok(shown.head.startsWith(head), `reply head "${shown.head}" is for ${head}`);
    assert.equal(shown.error, false, `${head} shown as an error: ${shown.head}\n${shown.json}`);
    assert.match(shown.head, /round trip [\d.]+ ms/, 'the reply shows its round trip');
    return { head: shown.head, reply: JSON.parse(shown.json) };
  }

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30000,
      // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
      // --disable-dev-shm-usage: containers often have a tiny /dev/shm.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--mute-audio'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  });

  after(async () => {
    try {
      if (!failed) {
        await screenshot();
        // Not a failure by itself (mpegts.js logs aborted requests when a player is replaced), but
        // worth a look when something changes.
        if (consoleErrors.length) console.log(`page console errors (${consoleErrors.length}):\n  ${consoleErrors.join('\n  ')}`);
      }
    } finally {
      if (browser) await browser.close();
    }
  });

  step('Chromium decodes H.264 + AAC through MSE', async () => {
    await page.goto(`${VIEWER_URL}/`, { waitUntil: 'load', timeout: WAIT_MS });
    const support = await page.evaluate(() => ({
      mse: typeof MediaSource !== 'undefined'
        && MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'),
      ua: navigator.userAgent,
    }));
    assert.ok(support.mse, `MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"') is false in ${support.ua}`);
  });

  step('#state shows connected', async () => {
    await waitFor('#state to say connected', async () => (await text('#state')) === 'connected');
    const id = await text('#device-id');
    assert.notEqual(id, '–', 'the header shows the device id');
    assert.notEqual(await text('#link-mode'), '–', 'the link mode is shown');
  });

  step('the live view plays', async () => {
    assert.equal(await text('#mode'), 'live');
    await assertPlays('live');
    await waitFor('#player-status to say playing live', async () => (await text('#player-status')) === 'playing live');
    await waitFor('#resolution to show the size', async () => (await text('#resolution')) === `${EXPECT_WIDTH}×${EXPECT_HEIGHT}`);
    await waitFor('#latency to show seconds', async () => /^\d+\.\d+ s$/.test(await text('#latency')));
    await waitFor('#frames to count decoded frames', async () => /^[1-9]\d* decoded/.test(await text('#frames')));
    await waitFor('#rx-rate to show a rate', async () => /bit\/s$/.test(await text('#rx-rate')));
  });

  let pan0 = null;
  step('get_info shows the camera reply with the device id', async () => {
    const id = await text('#device-id');
    const { reply } = await clickCommand('get_info');
    assert.equal(reply.device_id, id, 'get_info reply names the device shown in the header');
    assert.ok(reply.ptz && typeof reply.ptz.pan === 'number', 'get_info reply has ptz.pan');
    pan0 = reply.ptz.pan;
  });

  step('a PTZ button shows the new pan value', async () => {
    // Pan moves 10 degrees per click within -180..180: go the way that has room, then back.
    const [there, back] = pan0 > -170 ? ['left', 'right'] : ['right', 'left'];
    const expected = pan0 + (there === 'left' ? -10 : 10);
    const moved = await clickCommand('ptz', there);
    assert.equal(moved.reply.pan, expected, `pan after ${there} from ${pan0}`);
    assert.equal(await text('#ptz-position'), `pan ${expected}° · tilt ${moved.reply.tilt}°`);
    const restored = await clickCommand('ptz', back);
    assert.equal(restored.reply.pan, pan0, `pan after ${back}`);
  });

  step('playback of the first recording plays, then says it ended', async () => {
    await waitFor('#recordings to list a recording', () => page.evaluate(() => {
      const s = document.getElementById('recordings');
      return s.options.length > 0 && s.options[0].value !== '';
    }));
    assert.equal(await page.evaluate(() => document.getElementById('recordings').selectedIndex), 0,
      'the first recording is the one selected');
    await page.locator('#mode-playback').click();
    await waitFor('#mode to say playback', async () => (await text('#mode')) === 'playback');
    await waitFor('#player-status to say playing recording',
      async () => (await text('#player-status')).startsWith('playing recording'));
    await assertPlays('playback');
    const durationMs = await page.evaluate(() => {
      const s = document.getElementById('recordings');
      const r = window.ivp2pViewer.recordings.find((x) => String(x.start_time) === s.value);
      return r ? r.duration_ms : null;
    });
    if (typeof durationMs === 'number' && durationMs <= 60000) {
      await waitFor('#player-status to say the playback ended',
        async () => (await text('#player-status')).startsWith('Playback ended'), durationMs + WAIT_MS);
    } else {
      console.log(`not waiting for the end of a ${durationMs} ms recording`);
    }
  });

  step('switching back to live plays again', async () => {
    await page.locator('#mode-live').click();
    await waitFor('#mode to say live', async () => (await text('#mode')) === 'live');
    await waitFor('#player-status to say playing live', async () => (await text('#player-status')) === 'playing live');
    await assertPlays('live again');
  });
});

describe('the viewer\'s /live.flv', () => {
  it(`is H.264 ${EXPECT_WIDTH}x${EXPECT_HEIGHT} + AAC (ffprobe on ${CAPTURE_BYTES / 1024} KB)`, async () => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error(`no ${CAPTURE_BYTES} bytes within ${WAIT_MS / 1000} s`)), WAIT_MS);
    const chunks = [];
    let got = 0;
    try {
      const res = await fetch(`${VIEWER_URL}/live.flv`, { signal: ac.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') || '', /^video\/x-flv/);
      for await (const chunk of res.body) {
        chunks.push(chunk);
        got += chunk.length;
        if (got >= CAPTURE_BYTES) break;   // leaving the loop cancels the body: the connection closes
      }
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
    const data = Buffer.concat(chunks).subarray(0, CAPTURE_BYTES);
    fs.writeFileSync(CAPTURE, data);
    console.log(`captured ${data.length} bytes: ${CAPTURE}`);
    assert.equal(data.length, CAPTURE_BYTES, 'the live stream delivered the bytes');
    assert.equal(data.subarray(0, 3).toString('latin1'), 'FLV', 'starts with the FLV header');

    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', CAPTURE],
      { timeout: 30000 });
    const streams = JSON.parse(stdout).streams || [];
    const v = streams.find((s) => s.codec_type === 'video');
    const a = streams.find((s) => s.codec_type === 'audio');
    assert.ok(v, `a video stream: ${stdout}`);
    assert.equal(v.codec_name, 'h264');
    assert.equal(v.width, EXPECT_WIDTH);
    assert.equal(v.height, EXPECT_HEIGHT);
    assert.ok(a, `an audio stream: ${stdout}`);
    assert.equal(a.codec_name, 'aac');
  });
});
