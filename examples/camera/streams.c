#include "streams.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cam_log.h"
#include "download.h"
#include "params.h"
#include "recordings.h"

typedef enum { KIND_LIVE, KIND_PLAYBACK, KIND_DOWNLOAD } stream_kind;

typedef struct {
    unsigned id;
    stream_kind kind;
    char peer[96];
    int refs;      /* table lock: callers between stream_get and stream_put */
    int stopped;   /* table lock: send_stop ran; freed by the last stream_put */
    pthread_mutex_t lock; /* the rest */
    int ended;     /* the source is done: every later poll returns {NULL, (size_t)-1} */
    union {
        live_stream live;
        playback_stream playback;
        download_stream download;
    } u;
} stream;

static streams_config cfg;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static stream *table[STREAMS_MAX];
static atomic_uint next_id = 1;

static const char *kind_name(stream_kind k)
{
    return k == KIND_LIVE ? "live" : k == KIND_PLAYBACK ? "playback" : "download";
}

void streams_setup(const streams_config *c)
{
    cfg = *c;
    if (cfg.max_streams == 0 || cfg.max_streams > STREAMS_MAX)
        cfg.max_streams = STREAMS_MAX;
}

static unsigned id_of(void *handle)
{
    return (unsigned)(uintptr_t)handle;
}

/* The stream with this handle, with a reference taken, or NULL. */
static stream *stream_get(void *handle)
{
    stream *s = NULL;
    int i;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++)
        if (table[i] != NULL && table[i]->id == id_of(handle)) {
            s = table[i];
            s->refs++;
            break;
        }
    pthread_mutex_unlock(&table_lock);
    return s;
}

static void stream_destroy(stream *s)
{
    /* A live stream owns nothing: the clips are the camera's. */
    if (s->kind == KIND_PLAYBACK)
        playback_close(&s->u.playback);
    else if (s->kind == KIND_DOWNLOAD)
        download_close(&s->u.download);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static void stream_put(stream *s)
{
    int last;

    pthread_mutex_lock(&table_lock);
    last = --s->refs == 0 && s->stopped;
    pthread_mutex_unlock(&table_lock);
    if (last)
        stream_destroy(s);
}

/* Opens the source the params ask for. Returns 0, or -1 (logged). */
static int open_source(stream *s, const char *params, char *err, size_t errlen)
{
    char action[16], value[128];
    uint64_t start, end, speed, offset, now = cam_now_ms();

    if (params_get(params, "action", action, sizeof action) != 1) {
        snprintf(err, errlen, "no action");
        return -1;
    }
    /* One camera, one video channel: channel=0 (absent means 0). */
    if (params_get(params, "channel", value, sizeof value) == 1 && strcmp(value, "0") != 0) {
        snprintf(err, errlen, "no channel %s (this camera has channel 0)", value);
        return -1;
    }
    if (strcmp(action, "live") == 0) {
        int r = params_get(params, "quality", value, sizeof value);
        if (r == 1 && strcmp(value, "high") != 0 && strcmp(value, "low") != 0) {
            snprintf(err, errlen, "quality must be high or low");
            return -1;
        }
        s->kind = KIND_LIVE;
        live_open(&s->u.live, cfg.media, s->id, r == 1 && strcmp(value, "low") == 0, cfg.restore_ms, now);
        return 0;
    }
    if (strcmp(action, "playback") == 0) {
        if (params_get_u64(params, "start_time", 0, 0, 1ULL << 40, &start) != 1 ||
            params_get_u64(params, "end_time", 0, 0, 1ULL << 40, &end) != 1 || end <= start) {
            snprintf(err, errlen, "playback needs start_time < end_time (Unix seconds)");
            return -1;
        }
        if (params_get_u64(params, "speed", 1, 1, 16, &speed) < 0) {
            snprintf(err, errlen, "speed must be 1..16");
            return -1;
        }
        s->kind = KIND_PLAYBACK;
        return playback_open(&s->u.playback, s->id, cfg.recordings_dir, (int64_t)start, (int64_t)end,
                             (uint32_t)speed, now, err, errlen);
    }
    if (strcmp(action, "download") == 0) {
        int r = params_get(params, "file_name", value, sizeof value);
        if (r != 1) {
            snprintf(err, errlen, r < 0 ? "file_name too long" : "download needs file_name");
            return -1;
        }
        if (params_get_u64(params, "offset", 0, 0, UINT64_MAX, &offset) < 0) {
            snprintf(err, errlen, "offset must be a number of bytes");
            return -1;
        }
        s->kind = KIND_DOWNLOAD;
        return download_open(&s->u.download, s->id, cfg.recordings_dir, value, offset, err, errlen);
    }
    snprintf(err, errlen, "unknown action \"%s\"", action);
    return -1;
}

/* Puts s in a free slot; returns 0, or -1 when the camera is at its limit. */
static int table_add(stream *s)
{
    int i, used = 0, slot = -1;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++) {
        if (table[i] != NULL)
            used++;
        else if (slot < 0)
            slot = i;
    }
    if (slot >= 0 && used < (int)cfg.max_streams)
        table[slot] = s;
    else
        slot = -1;
    pthread_mutex_unlock(&table_lock);
    return slot < 0 ? -1 : 0;
}

void *streams_on_send_init(const char *params, const char *peer)
{
    stream *s = calloc(1, sizeof *s);
    char err[256];

    if (s == NULL) {
        cam_log("send_init from %s refused: out of memory", peer);
        return NULL;
    }
    s->id = atomic_fetch_add(&next_id, 1);
    /* peer lives in the SDK's temporary memory: keep a copy. */
    snprintf(s->peer, sizeof s->peer, "%s", peer ? peer : "");
    pthread_mutex_init(&s->lock, NULL);
    if (open_source(s, params, err, sizeof err) != 0) {
        cam_log("send_init from %s refused (%s): %s", s->peer, params, err);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    if (table_add(s) != 0) {
        cam_log("send_init from %s refused (%s): %u streams open already", s->peer, params, cfg.max_streams);
        stream_destroy(s);
        return NULL;
    }
    cam_log("stream %u: %s for %s (%s)", s->id, kind_name(s->kind), s->peer, params);
    return (void *)(uintptr_t)s->id;
}

/* Under s->lock: the source's next bytes. Returns 0, or 1 once the source is done. */
static int fill(stream *s, bytebuf *out)
{
    uint64_t now = cam_now_ms();

    switch (s->kind) {
    case KIND_LIVE:
        return live_fill(&s->u.live, now, out, STREAMS_POLL_BYTES) < 0 ? -1 : 0;
    case KIND_PLAYBACK:
        return playback_fill(&s->u.playback, now, out, STREAMS_POLL_BYTES);
    case KIND_DOWNLOAD:
        return download_fill(&s->u.download, out, STREAMS_POLL_BYTES);
    }
    return -1;
}

/* Under s->lock: what this poll returns. */
static iv_cm_memory_s next_buffer(stream *s)
{
    const iv_cm_memory_s end = {NULL, (size_t)-1, NULL};
    bytebuf out = {0};
    int rc;

    if (s->ended)
        return end;
    rc = fill(s, &out);
    if (rc < 0 || out.failed) {
        cam_log("stream %u: cannot go on (%s), ending it", s->id, out.failed ? "out of memory" : "read error");
        bytebuf_free(&out);
        s->ended = 1;
        return end;
    }
    if (rc == 1) {
        cam_log("stream %u: %s complete", s->id, kind_name(s->kind));
        s->ended = 1; /* the last bytes go out now, the end on the next poll */
        if (out.len == 0)
            return end;
    }
    return bytebuf_to_sdk(&out); /* {NULL, 0}: nothing due yet */
}

iv_cm_memory_s streams_on_send_get(void *handle)
{
    const iv_cm_memory_s end = {NULL, (size_t)-1, NULL};
    stream *s = stream_get(handle);
    iv_cm_memory_s reply;

    if (s == NULL) /* stopped already: there is nothing more to send */
        return end;
    pthread_mutex_lock(&s->lock);
    reply = next_buffer(s);
    pthread_mutex_unlock(&s->lock);
    stream_put(s);
    return reply;
}

static void describe(stream *s, stream_info *info)
{
    memset(info, 0, sizeof *info);
    info->id = s->id;
    info->handle = (void *)(uintptr_t)s->id;
    snprintf(info->action, sizeof info->action, "%s", kind_name(s->kind));
    snprintf(info->peer, sizeof info->peer, "%s", s->peer);
    switch (s->kind) {
    case KIND_LIVE:
        live_describe(&s->u.live, info->detail, sizeof info->detail);
        snprintf(info->quality, sizeof info->quality, "%s", s->u.live.want_low ? "low" : "high");
        snprintf(info->level, sizeof info->level, "%s", cong_level_name(s->u.live.cong.level));
        info->bytes = s->u.live.bytes;
        info->frames = s->u.live.frames;
        info->dropped = s->u.live.dropped;
        break;
    case KIND_PLAYBACK:
        snprintf(info->detail, sizeof info->detail, "file=%s",
                 s->u.playback.cur < s->u.playback.n_files ? s->u.playback.files[s->u.playback.cur].name : "-");
        info->bytes = s->u.playback.bytes;
        info->frames = s->u.playback.frames;
        break;
    case KIND_DOWNLOAD:
        snprintf(info->detail, sizeof info->detail, "at=%llu/%llu", (unsigned long long)s->u.download.pos,
                 (unsigned long long)s->u.download.size);
        info->bytes = s->u.download.bytes;
        break;
    }
}

int streams_on_send_stop(void *handle)
{
    stream *s = NULL;
    stream_info info;
    int i;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++)
        if (table[i] != NULL && table[i]->id == id_of(handle)) {
            s = table[i];
            table[i] = NULL;
            s->stopped = 1;
            s->refs++; /* ours, for the log line below */
            break;
        }
    pthread_mutex_unlock(&table_lock);
    if (s == NULL) {
        cam_log("send_stop for unknown stream %u", id_of(handle));
        return -1;
    }
    pthread_mutex_lock(&s->lock);
    describe(s, &info);
    pthread_mutex_unlock(&s->lock);
    cam_log("stream %u: stopped (%s for %s): %llu bytes, %llu frames, %llu dropped", info.id, info.action,
            info.peer, (unsigned long long)info.bytes, (unsigned long long)info.frames,
            (unsigned long long)info.dropped);
    stream_put(s); /* the last reference frees it */
    return 0;
}

void streams_on_watermark(void *handle, iv_avt_event_e ev)
{
    stream *s = stream_get(handle);

    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    if (s->kind == KIND_LIVE)
        live_on_watermark(&s->u.live, ev, cam_now_ms());
    else
        /* Recordings have one quality; the SDK pausing the stream on HIGH
         * until LOW is all the flow control they need. */
        cam_log("stream %u: %s (%s: nothing to lower, the SDK paces it)", s->id, cong_event_name(ev),
                kind_name(s->kind));
    pthread_mutex_unlock(&s->lock);
    stream_put(s);
}

/* References to every open stream, oldest slot first; the caller puts them. */
static size_t get_all(stream **out)
{
    size_t n = 0;
    int i;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++)
        if (table[i] != NULL) {
            table[i]->refs++;
            out[n++] = table[i];
        }
    pthread_mutex_unlock(&table_lock);
    return n;
}

int streams_request_key_frame(const char *peer, unsigned id)
{
    stream *all[STREAMS_MAX];
    size_t n = get_all(all), i;
    int count = 0;

    for (i = 0; i < n; i++) {
        stream *s = all[i];
        if (s->kind == KIND_LIVE && (id != 0 ? s->id == id : strcmp(s->peer, peer) == 0)) {
            pthread_mutex_lock(&s->lock);
            live_request_key_frame(&s->u.live);
            pthread_mutex_unlock(&s->lock);
            count++;
        }
        stream_put(s);
    }
    return count;
}

static int by_id(const void *a, const void *b)
{
    const stream_info *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

size_t streams_snapshot(stream_info *out, size_t max)
{
    stream *all[STREAMS_MAX];
    size_t n = get_all(all), i, kept = 0;

    for (i = 0; i < n; i++) {
        if (kept < max) {
            pthread_mutex_lock(&all[i]->lock);
            describe(all[i], &out[kept++]);
            pthread_mutex_unlock(&all[i]->lock);
        }
        stream_put(all[i]);
    }
    qsort(out, kept, sizeof *out, by_id);
    return kept;
}

int streams_count(void)
{
    int i, n = 0;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++)
        n += table[i] != NULL;
    pthread_mutex_unlock(&table_lock);
    return n;
}

int streams_teardown(void)
{
    int i, left = 0;

    pthread_mutex_lock(&table_lock);
    for (i = 0; i < STREAMS_MAX; i++)
        if (table[i] != NULL) {
            cam_log("stream %u was never stopped by the SDK", table[i]->id);
            if (table[i]->refs == 0)
                stream_destroy(table[i]);
            table[i] = NULL;
            left++;
        }
    pthread_mutex_unlock(&table_lock);
    return left;
}
