// The ivp2p viewer page: plays the camera through the local viewer's HTTP-FLV with mpegts.js (MSE),
// polls /api/status, sends camera commands, and switches between live and recorded playback.
// Plain browser JavaScript, no build step, nothing loaded from outside this viewer.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const video = $('video');

  const STATUS_POLL_MS = 1000;
  const TICK_MS = 500;          // how often the video facts (latency, resolution, frames) are refreshed
  const RETRY_MS = 2000;        // live: re-create the player this long after an error or an end ...
  const RETRY_SLOW_MS = 10000;  // ... and after RETRY_FAST_ATTEMPTS failures in a row, this long
  const RETRY_FAST_ATTEMPTS = 30;
  const STALL_MS = 10000;       // live: no new picture for this long counts as a failure
  const COMMAND_TIMEOUT_MS = 15000;

  // mpegts.js settings for the live view. The camera sends frames as they are due, after a burst of at
  // most one GOP (1 s) when a client joins, so the player only needs a small buffer:
  const LIVE_CONFIG = {
    enableWorker: false,             // well under 1 Mbit/s: remuxing on the main thread is cheap
    enableStashBuffer: false,        // hand every chunk to MSE at once; the stash (384 KB by default)
                                     // would hold back several seconds of this stream before playing
    liveSync: true,                  // small lag (the join burst, jitter): play at 1.2x while more than
    liveSyncMaxLatency: 0.6,         // 0.6 s behind the buffered end, until 0.3 s behind: catches up
    liveSyncTargetLatency: 0.3,      // without a visible jump. 0.3 s is still ~8 frames of cushion
    liveSyncPlaybackRate: 1.2,       // against jitter on the link
    liveBufferLatencyChasing: true,  // large lag (tab was in the background, CPU hiccup): jump to
    liveBufferLatencyMaxLatency: 1.5,// 0.5 s before the buffered end as soon as more than 1.5 s behind
    liveBufferLatencyMinRemain: 0.5,
    lazyLoad: false,                 // never pause the download: mpegts would resume it with a Range
                                     // request, which an endless HTTP-FLV stream cannot answer
    autoCleanupSourceBuffer: true,   // drop what was played, so an all-day view never fills the
    autoCleanupMaxBackwardDuration: 30, // SourceBuffer quota
    autoCleanupMinBackwardDuration: 15,
  };
  // Recorded playback: the viewer paces it (speed 1) and ends the response at the end.
  const PLAYBACK_CONFIG = {
    enableWorker: false,
    enableStashBuffer: false,        // start at once; the stream is paced, there is little to batch
    lazyLoad: false,                 // see above: no Range requests
    autoCleanupSourceBuffer: true,
    autoCleanupMaxBackwardDuration: 30,
    autoCleanupMinBackwardDuration: 15,
  };

  // For tests and for poking around in the console; the page itself reads its own closure state.
  const viewer = window.ivp2pViewer = {
    player: null, mode: 'live', lastReply: null, recordings: [], retries: 0, phase: 'idle',
  };

  let generation = 0;       // bumped by every player change: events of an older player are ignored
  let retryTimer = null;
  let playbackRecording = null;
  let loadingComplete = false;
  let lastTime = -1;        // video.currentTime at the last tick, to see whether the picture moves
  let lastProgressAt = 0;

  // ---------------------------------------------------------------- formatting

  function fmtRate(bps) {
    if (typeof bps !== 'number') return '–';
    if (bps >= 1e6) return `${(bps / 1e6).toFixed(2)} Mbit/s`;
    if (bps >= 1e3) return `${Math.round(bps / 1e3)} kbit/s`;
    return `${Math.round(bps)} bit/s`;
  }

  function fmtBytes(n) {
    if (typeof n !== 'number') return '–';
    if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
    if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
    if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
    return `${n} B`;
  }

  function fmtMs(ms) {
    if (typeof ms !== 'number') return '–';
    return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
  }

  function fmtDuration(s) {
    if (typeof s !== 'number') return '–';
    s = Math.floor(s);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
    if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
    return `${sec} s`;
  }

  function fmtTime(unixSeconds) {   // local time, YYYY-MM-DD HH:MM:SS
    const d = new Date(unixSeconds * 1000), p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
      `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }

  function recordingLabel(r) {
    const secs = typeof r.duration_ms === 'number' ? r.duration_ms / 1000 : r.end_time - r.start_time;
    return `${fmtTime(r.start_time)} · ${secs.toFixed(1)} s`;
  }

  function setText(id, text) {
    const el = $(id);
    if (el.textContent !== text) el.textContent = text;
  }

  function setPlayerStatus(text, kind) {
    const el = $('player-status');
    el.textContent = text;
    el.className = 'player-status' + (kind ? ` ${kind}` : '');
  }

  // ---------------------------------------------------------------- player

  function describeError(type, detail, info) {
    let msg = `${type}${detail ? ` / ${detail}` : ''}`;
    if (info && (info.code !== undefined || info.msg)) msg += ` (${[info.code, info.msg].filter((x) => x !== undefined && x !== '').join(' ')})`;
    return msg;
  }

  function destroyPlayer() {
    clearTimeout(retryTimer);
    retryTimer = null;
    generation++;
    const p = viewer.player;
    viewer.player = null;
    if (p) {
      try {
        p.pause();
        p.unload();
        p.detachMediaElement();
        p.destroy();
      } catch (e) {
        console.warn('ivp2p viewer: destroying the player:', e);
      }
    }
  }

  // Creates a player for `source`; onError(message) and onComplete() run only while it is current.
  function createPlayer(source, config, onError, onComplete) {
    destroyPlayer();
    const gen = generation;
    const current = () => gen === generation;
    const player = mpegts.createPlayer(source, config);
    viewer.player = player;
    viewer.phase = 'starting';
    loadingComplete = false;
    lastTime = -1;
    lastProgressAt = performance.now();
    player.on(mpegts.Events.ERROR, (type, detail, info) => {
      if (current()) onError(describeError(type, detail, info));
    });
    player.on(mpegts.Events.LOADING_COMPLETE, () => {
      if (current()) { loadingComplete = true; onComplete(); }
    });
    player.attachMediaElement(video);
    player.load();
    const started = player.play();
    if (started && started.catch) {
      started.catch((e) => {
        // An interrupted play() (the player was replaced) is normal; anything else is worth showing.
        if (current() && e.name === 'NotAllowedError') {
          setPlayerStatus('The browser blocked autoplay: click the video to start it.', 'error');
          video.addEventListener('click', () => video.play(), { once: true });
        }
      });
    }
  }

  function startLive() {
    viewer.mode = 'live';
    playbackRecording = null;
    showMode();
    setPlayerStatus(viewer.retries ? `reconnecting to the live stream (attempt ${viewer.retries + 1})…`
      : 'connecting to the live stream…');
    createPlayer({ type: 'flv', isLive: true, url: '/live.flv' }, LIVE_CONFIG,
      (msg) => retryLive(`player error: ${msg}`),
      () => retryLive('the live stream ended'));
  }

  // The live view never gives up: after a camera or viewer restart it comes back without a reload.
  function retryLive(reason) {
    if (viewer.mode !== 'live' || retryTimer) return;
    destroyPlayer();
    viewer.retries++;
    viewer.phase = 'retrying';
    const delay = viewer.retries > RETRY_FAST_ATTEMPTS ? RETRY_SLOW_MS : RETRY_MS;
    setPlayerStatus(`${reason}; retrying in ${delay / 1000} s`, 'error');
    retryTimer = setTimeout(() => { retryTimer = null; startLive(); }, delay);
  }

  function startPlayback(rec) {
    viewer.mode = 'playback';
    playbackRecording = rec;
    showMode();
    // [start, end) in Unix seconds; a recording that ends within its start second still gets one second.
    const end = Math.max(rec.end_time, rec.start_time + 1);
    const url = `/playback.flv?start_time=${rec.start_time}&end_time=${end}&speed=1`;
    setPlayerStatus(`loading recording ${recordingLabel(rec)}…`);
    createPlayer({ type: 'flv', isLive: false, url }, PLAYBACK_CONFIG,
      (msg) => { destroyPlayer(); viewer.phase = 'error'; setPlayerStatus(`playback failed: ${msg}`, 'error'); },
      () => {});   // everything received; the video plays out its buffer, then 'ended' (or the tick) says so
  }

  function playbackEnded() {
    if (viewer.mode !== 'playback' || viewer.phase === 'ended' || viewer.phase === 'error') return;
    viewer.phase = 'ended';
    setPlayerStatus(`Playback ended (${playbackRecording ? recordingLabel(playbackRecording) : 'recording'}). ` +
      'Choose a recording or go back to Live.', 'ended');
  }

  video.addEventListener('ended', playbackEnded);

  function showMode() {
    setText('mode', viewer.mode);
    $('mode-live').classList.toggle('active', viewer.mode === 'live');
    $('mode-playback').classList.toggle('active', viewer.mode === 'playback');
  }

  // Every TICK_MS: what the video element shows, and whether it still moves.
  function tick() {
    const now = performance.now();
    const t = video.currentTime;
    if (t !== lastTime && lastTime >= 0 && !video.paused) {
      lastProgressAt = now;
      if (viewer.phase === 'starting') {
        viewer.phase = 'playing';
        viewer.retries = 0;
        setPlayerStatus(viewer.mode === 'live' ? 'playing live'
          : `playing recording ${recordingLabel(playbackRecording)} at 1×`, 'ok');
      }
    }
    lastTime = t;

    const b = video.buffered;
    const ahead = b.length ? Math.max(0, b.end(b.length - 1) - t) : null;
    if (viewer.mode === 'live') {
      setText('latency', ahead === null ? '–' : `${ahead.toFixed(2)} s`);
      if (viewer.player && !retryTimer && now - lastProgressAt > STALL_MS) {
        retryLive(`no new picture for ${STALL_MS / 1000} s`);
      }
    } else {
      setText('latency', 'n/a in playback');
      // 'ended' is not guaranteed when the audio and video tracks end a little apart: all data is in,
      // nothing is left to play and the picture has stood still for a second.
      if (loadingComplete && viewer.phase !== 'ended' && ahead !== null && ahead < 0.2 && now - lastProgressAt > 1000) {
        playbackEnded();
      }
    }

    setText('resolution', video.videoWidth ? `${video.videoWidth}×${video.videoHeight}` : '–');
    const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
    setText('frames', q ? `${q.totalVideoFrames} decoded, ${q.droppedVideoFrames} dropped` : '–');
  }

  // ---------------------------------------------------------------- status

  function showStatus(s) {
    const state = $('state');
    state.textContent = s.state || 'unknown';
    state.className = `badge state-${s.state || 'unknown'}`;
    setText('device-id', s.device_id || '–');
    setText('link-mode', s.link_mode || '–');
    setText('device-address', s.device_address || '–');
    setText('peer', s.peer || '–');
    setText('connected-for', s.state === 'connected' ? fmtDuration(s.connected_for_s) : '–');
    setText('connect-time', fmtMs(s.connect_ms));
    setText('last-error', s.last_error || 'none');
    $('last-error').classList.toggle('error', !!s.last_error);
    const live = s.live || {}, pb = s.playback || {};
    const rate = (live.rx_rate_bps || 0) + (pb.rx_rate_bps || 0);
    setText('rx-rate', fmtRate(rate));
    setText('rx-bytes', `live ${fmtBytes(live.rx_bytes)} · playback ${fmtBytes(pb.rx_bytes)}`);
    setText('clients', `${live.clients ?? 0} live · ${pb.clients ?? 0} playback`);
    setText('rtt', fmtMs(s.rtt_ms));
    setText('cmd-rtt', fmtMs(s.command_rtt_ms));
  }

  function showStatusUnreachable(e) {
    const state = $('state');
    state.textContent = 'viewer unreachable';
    state.className = 'badge state-stopped';
    setText('last-error', `status request failed: ${e.message || e}`);
    $('last-error').classList.add('error');
  }

  async function pollStatus() {
    try {
      const res = await fetch('/api/status', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      showStatus(await res.json());
    } catch (e) {
      showStatusUnreachable(e);
    } finally {
      setTimeout(pollStatus, STATUS_POLL_MS);
    }
  }

  // ---------------------------------------------------------------- commands

  function showReply(title, body, isError) {
    const box = $('command-reply');
    box.className = 'reply' + (isError ? ' error' : ' ok');
    box.replaceChildren();
    const head = document.createElement('div');
    head.className = 'reply-head';
    head.textContent = title;
    box.append(head);
    if (body !== undefined) {
      const pre = document.createElement('pre');
      pre.textContent = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
      box.append(pre);
    }
  }

  function showPtz(ptz) {
    if (ptz && typeof ptz.pan === 'number') setText('ptz-position', `pan ${ptz.pan}° · tilt ${ptz.tilt}°`);
  }

  async function sendCommand(cmd, button) {
    const name = cmd.cmd + (cmd.dir ? ` ${cmd.dir}` : '');
    button.classList.add('busy');
    const t0 = performance.now();
    try {
      const res = await fetch('/api/command', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(cmd),
        signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
      });
      const text = await res.text();
      let body = null;
      try { body = JSON.parse(text); } catch { /* shown raw below */ }
      const pageMs = performance.now() - t0;
      viewer.lastReply = body;
      if (!res.ok || !body || body.ok !== true) {
        const why = body && body.error ? body.error : `HTTP ${res.status}`;
        const code = body && body.code !== undefined ? ` (code ${body.code})` : '';
        showReply(`${name} failed: ${why}${code}`, body || text || undefined, true);
        return;
      }
      const reply = body.reply;
      const timing = `round trip ${fmtMs(body.rtt_ms)} to the camera, ${fmtMs(pageMs)} from this page`;
      if (reply && reply.ok === false) {
        showReply(`${name}: the camera refused: ${reply.error || 'no reason given'} · ${timing}`, reply, true);
        return;
      }
      showReply(`${name} · ${timing}`, reply, false);
      showPtz(cmd.cmd === 'ptz' ? reply : reply && reply.ptz);
    } catch (e) {
      const why = e.name === 'TimeoutError' ? `no answer within ${COMMAND_TIMEOUT_MS / 1000} s` : e.message;
      showReply(`${name} failed: ${why}`, undefined, true);
    } finally {
      button.classList.remove('busy');
    }
  }

  for (const button of document.querySelectorAll('button[data-cmd]')) {
    button.addEventListener('click', () => {
      let cmd;
      try { cmd = JSON.parse(button.dataset.cmd); } catch (e) {
        showReply(`bad data-cmd on this button: ${e.message}`, undefined, true);
        return;
      }
      sendCommand(cmd, button);
    });
  }

  // ---------------------------------------------------------------- recordings and mode switch

  async function loadRecordings() {
    const select = $('recordings');
    const keep = select.value;
    try {
      const res = await fetch('/api/recordings', { cache: 'no-store', signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS) });
      const body = await res.json();
      if (!res.ok || !body.ok || !body.reply || !body.reply.ok) {
        throw new Error((body && (body.error || (body.reply && body.reply.error))) || `HTTP ${res.status}`);
      }
      // Newest first: that is usually the one a person looks for.
      viewer.recordings = (body.reply.recordings || []).slice().sort((a, b) => b.start_time - a.start_time);
      select.replaceChildren();
      for (const r of viewer.recordings) {
        select.append(new Option(recordingLabel(r), String(r.start_time)));
      }
      if (!viewer.recordings.length) select.append(new Option('no recordings', ''));
      else if (viewer.recordings.some((r) => String(r.start_time) === keep)) select.value = keep;
    } catch (e) {
      select.replaceChildren(new Option(`recordings unavailable: ${e.message}`, ''));
      viewer.recordings = [];
    }
  }

  function playSelected() {
    const r = viewer.recordings.find((x) => String(x.start_time) === $('recordings').value);
    if (!r) {
      setPlayerStatus('No recording to play (the camera lists none).', 'error');
      return;
    }
    startPlayback(r);
  }

  $('mode-live').addEventListener('click', () => { viewer.retries = 0; startLive(); });
  $('mode-playback').addEventListener('click', async () => {
    await loadRecordings();   // the list grows while the camera records
    playSelected();
  });
  $('recordings').addEventListener('change', playSelected);
  $('unmute').addEventListener('click', () => {
    video.muted = !video.muted;
    $('unmute').textContent = video.muted ? 'Sound off' : 'Sound on';
  });

  // ---------------------------------------------------------------- start

  if (typeof mpegts === 'undefined' || !mpegts.getFeatureList().mseLivePlayback) {
    setPlayerStatus('This browser cannot play the stream: it lacks Media Source Extensions '
      + '(or /mpegts.js did not load).', 'error');
  } else {
    mpegts.LoggingControl.enableVerbose = false;
    startLive();
  }
  loadRecordings();
  pollStatus();
  setInterval(tick, TICK_MS);
})();
