/*
 * Unit tests of the sample camera's parts that need neither the network nor
 * the SDK running: parsing, the pacer, the congestion policy, the FLV reader,
 * live and playback output (checked by parsing the FLV they produce), and the
 * download name checks. Time is passed in, so nothing sleeps.
 *
 * usage: camera_unit_tests <media dir>
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../bytebuf.h"
#include "../commands.h"
#include "../congestion.h"
#include "../download.h"
#include "../flv.h"
#include "../json.h"
#include "../live.h"
#include "../pacer.h"
#include "../params.h"
#include "../recordings.h"
#include "../streams.h"

static int failures;

#define EXPECT(cond)                                                                                               \
    do {                                                                                                           \
        if (!(cond)) {                                                                                             \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);                                    \
            failures++;                                                                                            \
        }                                                                                                          \
    } while (0)

static const char *media_dir;

/* ---- an FLV stream checker ---- */

typedef struct {
    int tags, video, audio, keys, seq_headers, non_key_video;
    uint32_t first_ts, last_ts;
    int ts_backwards;      /* a timestamp lower than the one before */
    int bad;               /* malformed */
    int first_video_key;   /* the first video frame (after sequence headers) is a key frame */
    int seen_video_frame;
} flv_check;

static uint32_t rd24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Checks bytes [0, len) as tags (with_header: the file header first). */
static void check_flv(const uint8_t *p, size_t len, int with_header, flv_check *c)
{
    size_t pos = 0;

    if (with_header) {
        if (len < 13 || memcmp(p, "FLV", 3) != 0) {
            c->bad = 1;
            return;
        }
        pos = 13;
    }
    while (pos + 11 <= len) {
        flv_tag t;
        uint32_t body = rd24(p + pos + 1), prev;
        if (pos + 11 + body + 4 > len || flv_parse_tag(p + pos, len - pos, pos, &t) != 0) {
            c->bad = 1;
            return;
        }
        prev = (uint32_t)p[pos + 11 + body] << 24 | rd24(p + pos + 12 + body);
        if (prev != 11 + body)
            c->bad = 1;
        if (c->tags > 0 && t.ts < c->last_ts)
            c->ts_backwards++;
        if (c->tags == 0)
            c->first_ts = t.ts;
        c->last_ts = t.ts;
        c->tags++;
        if (t.flags & FLV_SEQ_HDR)
            c->seq_headers++;
        else if (t.type == FLV_TAG_VIDEO) {
            c->video++;
            if (!c->seen_video_frame) {
                c->seen_video_frame = 1;
                c->first_video_key = (t.flags & FLV_KEY) != 0;
            }
            if (t.flags & FLV_KEY)
                c->keys++;
            else
                c->non_key_video++;
        } else if (t.type == FLV_TAG_AUDIO)
            c->audio++;
        pos += t.size;
    }
    if (pos != len)
        c->bad = 1;
}

/* ---- tests ---- */

static void test_params(void)
{
    char v[16];
    uint64_t n;

    EXPECT(params_get("action=live&channel=0&quality=high", "quality", v, sizeof v) == 1 && strcmp(v, "high") == 0);
    EXPECT(params_get("action=live&channel=0", "quality", v, sizeof v) == 0);
    EXPECT(params_get("xaction=live", "action", v, sizeof v) == 0);
    EXPECT(params_get("file_name=0123456789abcdefXYZ", "file_name", v, sizeof v) == -1);
    EXPECT(params_get_u64("offset=42", "offset", 0, 0, 100, &n) == 1 && n == 42);
    EXPECT(params_get_u64("offset=-1", "offset", 0, 0, 100, &n) == -1);
    EXPECT(params_get_u64("offset=101", "offset", 0, 0, 100, &n) == -1);
    EXPECT(params_get_u64("a=1", "offset", 7, 0, 100, &n) == 0 && n == 7);
}

static void test_json(void)
{
    const char *t = "{ \"x\": {\"cmd\":\"inner\"}, \"cmd\" : \"ptz\", \"dir\":\"le\\\"ft\", \"step\": -5 }";
    char v[16];
    long long n;
    bytebuf bb = {0};

    EXPECT(json_get_string(t, strlen(t), "cmd", v, sizeof v) == 1 && strcmp(v, "ptz") == 0);
    EXPECT(json_get_string(t, strlen(t), "dir", v, sizeof v) == 1 && strcmp(v, "le\"ft") == 0);
    EXPECT(json_get_int(t, strlen(t), "step", &n) == 1 && n == -5);
    EXPECT(json_get_string(t, strlen(t), "none", v, sizeof v) == 0);
    EXPECT(json_get_string("not json", 8, "cmd", v, sizeof v) == 0);
    json_str(&bb, "a\"b\\c\n");
    bytebuf_append(&bb, "", 1);
    EXPECT(strcmp((char *)bb.data, "\"a\\\"b\\\\c\\u000a\"") == 0);
    bytebuf_free(&bb);
}

static void test_names(void)
{
    EXPECT(rec_name_ok("rec_1700000000.flv"));
    EXPECT(rec_name_ok("clip-1.flv"));
    EXPECT(!rec_name_ok(""));
    EXPECT(!rec_name_ok("../etc/passwd"));
    EXPECT(!rec_name_ok(".."));
    EXPECT(!rec_name_ok("a/b"));
    EXPECT(!rec_name_ok(".hidden"));
    EXPECT(!rec_name_ok("a..b"));
    EXPECT(!rec_name_ok("a b"));
    EXPECT(!rec_name_ok("x123456789x123456789x123456789x123456789x123456789x123456789xxxx"));
}

static void test_pacer(void)
{
    pacer p;

    pacer_start(&p, 1000, 5000, 300, 1); /* source 5000 is ts 0; 300 ms due at once */
    EXPECT(pacer_due(&p, 5300, 1000));
    EXPECT(!pacer_due(&p, 5301, 1000));
    EXPECT(pacer_due(&p, 5400, 1100));
    EXPECT(pacer_out_ts(&p, 5400) == 400);
    EXPECT(pacer_out_ts(&p, 4000) == 400); /* never backwards */
    EXPECT(pacer_lag(&p, 5400, 3400) == 2300);
    EXPECT(pacer_src_now(&p, 3400) == 7700);
    pacer_jump(&p, 9000, 3400); /* source 9000 is output now */
    EXPECT(pacer_due(&p, 9000, 3400));
    EXPECT(pacer_out_ts(&p, 9000) == 2700);
    EXPECT(pacer_out_ts(&p, 9040) == 2740);
    pacer_start(&p, 0, 0, 0, 4); /* playback at 4x */
    EXPECT(pacer_due(&p, 400, 100) && !pacer_due(&p, 401, 100));
}

static void test_congestion(void)
{
    cong_state s;

    cong_init(&s, 3000);
    EXPECT(cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_WARN, 0) && s.level == CONG_LOW_BITRATE);
    EXPECT(!cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_WARN, 10));
    EXPECT(cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_HIGH, 20) && s.level == CONG_KEY_ONLY);
    EXPECT(!cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_LOW, 1000) && s.level == CONG_KEY_ONLY);
    EXPECT(!cong_tick(&s, 3999));
    EXPECT(cong_tick(&s, 4000) && s.level == CONG_LOW_BITRATE);
    EXPECT(!cong_tick(&s, 6999));
    EXPECT(cong_tick(&s, 7000) && s.level == CONG_FULL);
    EXPECT(!cong_tick(&s, 100000));
    /* A WARN while climbing stops the climb. */
    cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_HIGH, 0);
    cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_LOW, 0);
    cong_tick(&s, 3000);
    EXPECT(s.level == CONG_LOW_BITRATE);
    cong_on_event(&s, IV_AVT_EVENT_P2P_WATERMARK_WARN, 3500);
    EXPECT(!cong_tick(&s, 100000) && s.level == CONG_LOW_BITRATE);
}

static void test_clip(void)
{
    char path[4200], err[256];
    flv_clip c;

    snprintf(path, sizeof path, "%s/clip_high.flv", media_dir);
    EXPECT(flv_clip_open(&c, path, 1, err, sizeof err) == 0);
    EXPECT(c.avc_seq.size > 0 && c.aac_seq.size > 0 && c.meta.size > 0);
    EXPECT(c.duration_ms == 8064); /* the AAC priming frame at 0, video from 64 */
    EXPECT(c.max_gop_ms == 1000);
    flv_clip_make_loop(&c);
    EXPECT(c.loop_start_ms == 64 && c.loop_ms == 8000 && c.max_gop_ms == 1000);
    EXPECT(c.media[0].ts == 64);
    EXPECT(flv_clip_key_from(&c, 0) >= 0);
    EXPECT(flv_clip_key_at_or_before(&c, 5000) > 0);
    flv_clip_close(&c);
    EXPECT(flv_clip_open(&c, "/nonexistent.flv", 1, err, sizeof err) == -1 && strstr(err, "nonexistent"));
    EXPECT(flv_clip_open(&c, "/etc/hostname", 0, err, sizeof err) == -1);
}

/* Fills a live stream every 10 ms from t0 to t1 (ms after boot), checking what comes out. */
static void run_live(live_stream *ls, const live_media *m, uint64_t t0, uint64_t t1, bytebuf *all)
{
    uint64_t t;

    for (t = t0; t <= t1; t += 10) {
        bytebuf out = {0};
        EXPECT(live_fill(ls, m->boot_ms + t, &out, STREAMS_POLL_BYTES) == 0);
        bytebuf_append(all, out.data, out.len);
        bytebuf_free(&out);
    }
}

static void test_live(void)
{
    live_media m;
    live_stream ls;
    char err[256];
    bytebuf all = {0};
    flv_check c;
    uint64_t dropped;

    if (live_media_load(&m, media_dir, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        failures++;
        return;
    }
    /* Opened 2.5 s after boot: starts at the key frame of second 2, its frames up to now at once. */
    live_open(&ls, &m, 1, 0, 3000, m.boot_ms + 2500);
    run_live(&ls, &m, 2500, 2500, &all);
    memset(&c, 0, sizeof c);
    check_flv(all.data, all.len, 1, &c);
    EXPECT(!c.bad && c.seq_headers == 2 && c.first_video_key && c.keys == 1);
    EXPECT(c.video >= 10 && c.video <= 13); /* about 0.5 s of 25 fps */

    /* 25 s more: two and a half loops, timestamps rising throughout. */
    run_live(&ls, &m, 2510, 27500, &all);
    memset(&c, 0, sizeof c);
    check_flv(all.data, all.len, 1, &c);
    EXPECT(!c.bad && c.ts_backwards == 0 && c.first_ts == 0);
    EXPECT(c.last_ts >= 25000 && c.last_ts <= 25600);
    EXPECT(c.video >= 25 * 25 && c.video <= 25 * 26 + 2 && c.keys >= 25);
    EXPECT(ls.clip == &m.high && ls.dropped == 0);
    bytebuf_free(&all);

    /* WARN: the low-bitrate clip from the next key frame on, no frame lost. */
    live_on_watermark(&ls, IV_AVT_EVENT_P2P_WATERMARK_WARN, m.boot_ms + 27500);
    run_live(&ls, &m, 27510, 29500, &all);
    EXPECT(ls.clip == &m.low && ls.dropped == 0);

    /* HIGH: key frames only (the SDK stops polling; here: 4 s without a poll). */
    live_on_watermark(&ls, IV_AVT_EVENT_P2P_WATERMARK_HIGH, m.boot_ms + 29500);
    live_on_watermark(&ls, IV_AVT_EVENT_P2P_WATERMARK_LOW, m.boot_ms + 33500);
    dropped = ls.dropped;
    run_live(&ls, &m, 33500, 33500, &all);
    EXPECT(ls.dropped > dropped + 50); /* the stale 4 s went away */
    {
        size_t from = all.len;
        run_live(&ls, &m, 33510, 36400, &all); /* within the 3 s hold: key frames only */
        memset(&c, 0, sizeof c);
        check_flv(all.data + from, all.len - from, 0, &c);
        EXPECT(!c.bad && c.non_key_video == 0 && c.keys >= 2 && c.audio > 20);
        from = all.len;
        run_live(&ls, &m, 36410, 39400, &all); /* low bitrate, all frames again */
        memset(&c, 0, sizeof c);
        check_flv(all.data + from, all.len - from, 0, &c);
        EXPECT(!c.bad && c.non_key_video > 40);
        EXPECT(ls.cong.level == CONG_LOW_BITRATE);
        run_live(&ls, &m, 39410, 45000, &all); /* and full quality after another 3 s */
        EXPECT(ls.cong.level == CONG_FULL && ls.clip == &m.high);
    }
    /* request_key_frame: the next frame sent is a key frame with the sequence headers. */
    {
        size_t from = all.len;
        live_request_key_frame(&ls);
        run_live(&ls, &m, 45010, 45010, &all);
        memset(&c, 0, sizeof c);
        check_flv(all.data + from, all.len - from, 0, &c);
        EXPECT(!c.bad && c.seq_headers == 2 && c.first_video_key);
    }
    memset(&c, 0, sizeof c);
    check_flv(all.data, all.len, 0, &c);
    EXPECT(!c.bad && c.ts_backwards == 0);
    bytebuf_free(&all);
    live_media_free(&m);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;

    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static void test_playback_and_download(void)
{
    char dir[] = "/tmp/camera_unit_XXXXXX", src[4200], dst[4200], err[256];
    playback_stream ps;
    download_stream ds;
    bytebuf all = {0};
    flv_check c;
    uint64_t t;
    int rc = 0;
    rec_entry *list;

    if (mkdtemp(dir) == NULL) {
        failures++;
        return;
    }
    snprintf(src, sizeof src, "%s/clip_high.flv", media_dir);
    snprintf(dst, sizeof dst, "%s/rec_1000.flv", dir);
    EXPECT(copy_file(src, dst) == 0);
    snprintf(dst, sizeof dst, "%s/rec_2000.flv", dir);
    EXPECT(copy_file(src, dst) == 0);
    EXPECT(rec_list(dir, &list) == 2 && list[0].start == 1000 && list[1].duration_ms == 8064);
    free(list);

    EXPECT(playback_open(&ps, 1, dir, 1500, 1600, 1, 0, err, sizeof err) == -1); /* a gap */
    EXPECT(playback_open(&ps, 1, dir, 3000, 4000, 1, 0, err, sizeof err) == -1);
    /* 1003..2005 at 16x: from the key frame at 2.064 s of the first to its end
     * (8.064 s), then 0.064..5 s of the second: 6 + 4.9 s. */
    EXPECT(playback_open(&ps, 1, dir, 1003, 2005, 16, 0, err, sizeof err) == 0);
    for (t = 0; t < 5000 && rc == 0; t += 10) {
        bytebuf out = {0};
        rc = playback_fill(&ps, t, &out, STREAMS_POLL_BYTES);
        bytebuf_append(&all, out.data, out.len);
        bytebuf_free(&out);
    }
    EXPECT(rc == 1);
    memset(&c, 0, sizeof c);
    check_flv(all.data, all.len, 1, &c);
    EXPECT(!c.bad && c.ts_backwards == 0 && c.first_video_key && c.first_ts == 0);
    EXPECT(c.last_ts >= 10900 && c.last_ts <= 11000);
    if (c.last_ts < 10900 || c.last_ts > 11000)
        fprintf(stderr, "playback last ts %u\n", c.last_ts);
    EXPECT(c.seq_headers == 4);
    playback_close(&ps);
    bytebuf_free(&all);

    EXPECT(download_open(&ds, 2, dir, "../rec_1000.flv", 0, err, sizeof err) == -1);
    EXPECT(download_open(&ds, 2, dir, "rec_1000.flv", 1u << 30, err, sizeof err) == -1);
    snprintf(dst, sizeof dst, "%s/link.flv", dir);
    EXPECT(symlink("/etc/passwd", dst) == 0);
    EXPECT(download_open(&ds, 2, dir, "link.flv", 0, err, sizeof err) == -1);
    EXPECT(download_open(&ds, 2, dir, "rec_1000.flv", 100, err, sizeof err) == 0);
    rc = 0;
    while (rc == 0) {
        bytebuf out = {0};
        rc = download_fill(&ds, &out, STREAMS_POLL_BYTES);
        bytebuf_append(&all, out.data, out.len);
        bytebuf_free(&out);
    }
    EXPECT(rc == 1 && all.len + 100 == ds.size);
    download_close(&ds);
    bytebuf_free(&all);

    unlink(dst);
    snprintf(dst, sizeof dst, "%s/rec_1000.flv", dir);
    unlink(dst);
    snprintf(dst, sizeof dst, "%s/rec_2000.flv", dir);
    unlink(dst);
    rmdir(dir);
}

static void test_commands(void)
{
    commands_config cc = {"cam_test", "test 1", "/nonexistent", 0};
    bytebuf out = {0};

#define ASK(text) (bytebuf_free(&out), commands_handle(text, strlen(text), "app#1", &out), bytebuf_append(&out, "", 1), (char *)out.data)
    commands_setup(&cc);
    EXPECT(strstr(ASK("{\"cmd\":\"ptz\",\"dir\":\"left\"}"), "\"pan\":-10,\"tilt\":0"));
    EXPECT(strstr(ASK("{\"cmd\":\"ptz\",\"dir\":\"up\",\"step\":90}"), "\"pan\":-10,\"tilt\":45"));
    EXPECT(strstr(ASK("{\"cmd\":\"ptz\",\"dir\":\"sideways\"}"), "\"ok\":false"));
    EXPECT(strstr(ASK("{\"cmd\":\"ptz\",\"dir\":\"home\"}"), "\"pan\":0,\"tilt\":0"));
    EXPECT(strstr(ASK("{\"cmd\":\"get_info\"}"), "\"device_id\":\"cam_test\""));
    EXPECT(strstr(ASK("{\"cmd\":\"get_info\"}"), "\"streams\":[]"));
    EXPECT(strstr(ASK("{\"cmd\":\"request_key_frame\"}"), "\"ok\":false"));
    EXPECT(strstr(ASK("{\"cmd\":\"list_recordings\"}"), "\"ok\":false"));
    EXPECT(strstr(ASK("{\"cmd\":\"reboot\"}"), "unknown cmd"));
    EXPECT(strstr(ASK("hello"), "\"ok\":false"));
#undef ASK
    bytebuf_free(&out);
}

/* The send callbacks as the SDK calls them: init, polls, frees, stop. */
static void test_streams(void)
{
    live_media m;
    streams_config sc;
    char err[256];
    void *h1, *h2;
    iv_cm_memory_s mem;
    stream_info info[STREAMS_MAX];
    int i, got = 0;

    if (live_media_load(&m, media_dir, err, sizeof err) != 0) {
        failures++;
        return;
    }
    sc.media = &m;
    sc.recordings_dir = "/nonexistent";
    sc.restore_ms = 3000;
    sc.max_streams = 2;
    streams_setup(&sc);
    EXPECT(streams_on_send_init("action=live&channel=1", "p#1") == NULL);
    EXPECT(streams_on_send_init("action=live&quality=best", "p#1") == NULL);
    EXPECT(streams_on_send_init("action=playback&channel=0&start_time=1&end_time=2", "p#1") == NULL);
    EXPECT(streams_on_send_init("action=download&channel=0&file_name=../x&offset=0", "p#1") == NULL);
    EXPECT(streams_on_send_init("action=fly", "p#1") == NULL);
    h1 = streams_on_send_init("action=live&channel=0", "p#1");
    h2 = streams_on_send_init("action=live&channel=0&quality=low", "p#2");
    EXPECT(h1 != NULL && h2 != NULL && h1 != h2);
    EXPECT(streams_on_send_init("action=live&channel=0", "p#3") == NULL); /* max_streams 2 */
    EXPECT(streams_count() == 2);
    /* The first poll carries the FLV header and a GOP; each buffer is freed once by the "SDK". */
    for (i = 0; i < 5; i++) {
        mem = streams_on_send_get(h1);
        if (mem.buf != NULL) {
            got++;
            EXPECT(mem.buf_free_fn != NULL && mem.size > 0);
            if (got == 1)
                EXPECT(memcmp(mem.buf, "FLV", 3) == 0);
            mem.buf_free_fn(mem.buf, mem.size);
        }
    }
    EXPECT(got >= 1);
    EXPECT(bytebuf_sdk_outstanding() == 0);
    EXPECT(streams_request_key_frame("p#2", 0) == 1);
    EXPECT(streams_request_key_frame("p#9", 0) == 0);
    EXPECT(streams_snapshot(info, STREAMS_MAX) == 2 && strcmp(info[1].quality, "low") == 0);
    mem = streams_on_send_get(h2); /* held by the "SDK" across the stop */
    EXPECT(streams_on_send_stop(h1) == 0 && streams_on_send_stop(h2) == 0);
    EXPECT(streams_on_send_stop(h2) == -1);
    mem.buf_free_fn(mem.buf, mem.size);
    mem = streams_on_send_get(h1); /* a stopped handle: the end, not a crash */
    EXPECT(mem.buf == NULL && mem.size == (size_t)-1);
    EXPECT(streams_count() == 0 && streams_teardown() == 0 && bytebuf_sdk_outstanding() == 0);
    live_media_free(&m);
}

/* Streams opened, polled, signalled and stopped from several threads at once,
 * as the SDK's threads, commands and main's stats do. Run under
 * -fsanitize=thread to check the locking; here it checks the bookkeeping. */
static void *stream_worker(void *arg)
{
    char peer[16];
    int i, k;

    snprintf(peer, sizeof peer, "w#%d", (int)(intptr_t)arg);
    for (i = 0; i < 300; i++) {
        void *h = streams_on_send_init(i % 3 ? "action=live&channel=0" : "action=live&channel=0&quality=low", peer);
        iv_cm_memory_s held = {NULL, 0, NULL};
        if (h == NULL)
            continue; /* the limit: another worker holds the slots */
        for (k = 0; k < 5; k++) {
            iv_cm_memory_s m = streams_on_send_get(h);
            if (m.buf != NULL && held.buf == NULL)
                held = m; /* freed after the stop, as the SDK may */
            else if (m.buf != NULL)
                m.buf_free_fn(m.buf, m.size);
            if (k == 2)
                streams_on_watermark(h, (iv_avt_event_e)(IV_AVT_EVENT_P2P_WATERMARK_LOW + i % 3));
        }
        streams_request_key_frame(peer, 0);
        streams_on_send_stop(h);
        if (held.buf != NULL)
            held.buf_free_fn(held.buf, held.size);
    }
    return NULL;
}

static void *stats_worker(void *arg)
{
    stream_info info[STREAMS_MAX];
    int i;

    (void)arg;
    for (i = 0; i < 2000; i++) {
        size_t n = streams_snapshot(info, STREAMS_MAX), j;
        for (j = 0; j < n; j++)
            streams_request_key_frame("", info[j].id);
    }
    return NULL;
}

static void test_streams_threads(void)
{
    live_media m;
    streams_config sc;
    char err[256];
    pthread_t t[5];
    int i;

    if (live_media_load(&m, media_dir, err, sizeof err) != 0) {
        failures++;
        return;
    }
    sc.media = &m;
    sc.recordings_dir = "/nonexistent";
    sc.restore_ms = 0;
    sc.max_streams = 3; /* fewer slots than workers: refusals happen too */
    streams_setup(&sc);
    for (i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, stream_worker, (void *)(intptr_t)i);
    pthread_create(&t[4], NULL, stats_worker, NULL);
    for (i = 0; i < 5; i++)
        pthread_join(t[i], NULL);
    EXPECT(streams_count() == 0);
    EXPECT(bytebuf_sdk_outstanding() == 0);
    live_media_free(&m);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <media dir>\n", argv[0]);
        return 2;
    }
    media_dir = argv[1];
    test_params();
    test_json();
    test_names();
    test_pacer();
    test_congestion();
    test_clip();
    test_live();
    test_playback_and_download();
    test_commands();
    test_streams();
    test_streams_threads();
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("camera unit tests: all passed\n");
    return 0;
}
