#include "live.h"

#include <stdio.h>
#include <string.h>

#include "cam_log.h"

/* A live frame this much later than the camera clock beyond one GOP is stale:
 * the SDK paused the stream (WATERMARK_HIGH) and the viewer wants now, not
 * the backlog. */
#define LIVE_STALE_MARGIN_MS 500

int live_media_load(live_media *m, const char *dir, char *err, size_t errlen)
{
    char path[4096];

    memset(m, 0, sizeof *m);
    m->high.fd = m->low.fd = -1;
    snprintf(path, sizeof path, "%s/clip_high.flv", dir);
    if (flv_clip_open(&m->high, path, 1, err, errlen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/clip_low.flv", dir);
    if (flv_clip_open(&m->low, path, 1, err, errlen) != 0) {
        flv_clip_close(&m->high);
        return -1;
    }
    flv_clip_make_loop(&m->high);
    flv_clip_make_loop(&m->low);
    m->boot_ms = cam_now_ms();
    return 0;
}

void live_media_free(live_media *m)
{
    flv_clip_close(&m->high);
    flv_clip_close(&m->low);
}

/* The camera-clock time of media[idx] in loop number loop. */
static uint64_t global_ts(const flv_clip *c, uint64_t loop, size_t idx)
{
    return loop * c->loop_ms + (c->media[idx].ts - c->loop_start_ms);
}

/* The clip's own timestamp at camera time g. */
static uint32_t clip_ts(const flv_clip *c, uint64_t g)
{
    return (uint32_t)(g % c->loop_ms) + c->loop_start_ms;
}

static const flv_clip *target_clip(const live_stream *ls)
{
    return ls->cong.level == CONG_FULL && !ls->want_low ? &ls->m->high : &ls->m->low;
}

/* The last key frame of c at or before camera time g. */
static void key_at_or_before(const flv_clip *c, uint64_t g, uint64_t *loop, size_t *idx)
{
    long k;

    *loop = g / c->loop_ms;
    k = flv_clip_key_at_or_before(c, clip_ts(c, g));
    if (k < 0 && *loop > 0) { /* before the clip's first key frame: the previous loop's last one */
        (*loop)--;
        k = flv_clip_key_at_or_before(c, UINT32_MAX);
    }
    if (k < 0) /* the very first loop: wait for its first key frame */
        k = flv_clip_key_from(c, 0);
    *idx = (size_t)k;
}

/* The first key frame of c at or after camera time g. */
static void key_at_or_after(const flv_clip *c, uint64_t g, uint64_t *loop, size_t *idx)
{
    uint32_t pos = clip_ts(c, g);
    size_t i;

    *loop = g / c->loop_ms;
    for (i = 0; i < c->n_media; i++)
        if ((c->media[i].flags & FLV_KEY) && c->media[i].ts >= pos) {
            *idx = i;
            return;
        }
    (*loop)++;
    *idx = (size_t)flv_clip_key_from(c, 0);
}

/* Frames between two positions of one clip (for the "dropped" counter). */
static uint64_t distance(const flv_clip *c, uint64_t loop0, size_t idx0, uint64_t loop1, size_t idx1)
{
    return (loop1 - loop0) * c->n_media + idx1 - idx0;
}

void live_open(live_stream *ls, const live_media *m, unsigned id, int want_low, uint32_t restore_ms,
               uint64_t now_ms)
{
    uint64_t cam_now = now_ms - m->boot_ms, start;

    memset(ls, 0, sizeof *ls);
    ls->m = m;
    ls->id = id;
    ls->want_low = want_low;
    cong_init(&ls->cong, restore_ms);
    ls->clip = target_clip(ls);
    key_at_or_before(ls->clip, cam_now, &ls->loop, &ls->idx);
    start = global_ts(ls->clip, ls->loop, ls->idx);
    /* The frames from that key frame up to now are due at once. */
    pacer_start(&ls->pc, now_ms, start, cam_now > start ? cam_now - start : 0, 1);
}

static void advance(live_stream *ls)
{
    if (++ls->idx == ls->clip->n_media) {
        ls->idx = 0;
        ls->loop++;
    }
}

static int send_headers(live_stream *ls, bytebuf *out)
{
    const flv_clip *c = ls->clip;

    flv_write_file_header(out, c->av_flags);
    if (flv_copy_meta(c, 0, out) != 0 || flv_copy_tag(c, &c->avc_seq, 0, out) != 0)
        return -1;
    if (c->aac_seq.size && flv_copy_tag(c, &c->aac_seq, 0, out) != 0)
        return -1;
    ls->started = 1;
    return 0;
}

/* After a pause by the SDK: jump to the last key frame before the camera clock. */
static void drop_stale(live_stream *ls, uint64_t now_ms)
{
    const flv_clip *c = ls->clip;
    uint64_t g = global_ts(c, ls->loop, ls->idx), lag = pacer_lag(&ls->pc, g, now_ms), loop, n;
    size_t idx;

    if (lag <= c->max_gop_ms + LIVE_STALE_MARGIN_MS)
        return;
    key_at_or_before(c, pacer_src_now(&ls->pc, now_ms), &loop, &idx);
    if (global_ts(c, loop, idx) <= g)
        return;
    n = distance(c, ls->loop, ls->idx, loop, idx);
    cam_log("stream %u: %llu ms behind (the SDK paused it): dropping %llu stale frames, on from the latest key frame",
            ls->id, (unsigned long long)lag, (unsigned long long)n);
    ls->dropped += n;
    ls->loop = loop;
    ls->idx = idx;
    ls->need_key = 0;
}

/* request_key_frame: a real encoder would make the next frame an IDR. The clip
 * cannot, so the stream skips ahead to its next key frame and sends it now,
 * with the sequence headers again. */
static void skip_to_next_key(live_stream *ls, uint64_t now_ms)
{
    const flv_clip *c = ls->clip;
    uint64_t loop = ls->loop;
    long k = flv_clip_key_from(c, ls->idx);

    if (k < 0) {
        loop++;
        k = flv_clip_key_from(c, 0);
    }
    ls->dropped += distance(c, ls->loop, ls->idx, loop, (size_t)k);
    ls->loop = loop;
    ls->idx = (size_t)k;
    pacer_jump(&ls->pc, global_ts(c, loop, (size_t)k), now_ms);
    ls->send_seq_headers = 1;
    ls->key_requested = 0;
    cam_log("stream %u: key frame requested: sending the next key frame now", ls->id);
}

/* At a key frame of the current clip: continue from the target clip's key
 * frame at the same camera time. The clips have key frames at the same times,
 * so nothing is skipped. */
static void switch_clip(live_stream *ls, const flv_clip *to, uint64_t g)
{
    cam_log("stream %u: switching to the %s clip at camera time %llu ms", ls->id,
            to == &ls->m->high ? "high-bitrate" : "low-bitrate", (unsigned long long)g);
    ls->clip = to;
    key_at_or_after(to, g, &ls->loop, &ls->idx);
    ls->send_seq_headers = 1;
}

static int emit(live_stream *ls, const flv_tag *t, uint64_t g, bytebuf *out)
{
    return flv_copy_tag(ls->clip, t, pacer_out_ts(&ls->pc, g), out);
}

static int fill_frames(live_stream *ls, uint64_t now_ms, bytebuf *out, size_t max);

int live_fill(live_stream *ls, uint64_t now_ms, bytebuf *out, size_t max)
{
    size_t before = out->len;
    int rc = fill_frames(ls, now_ms, out, max);

    ls->bytes += out->len - before;
    return rc;
}

static int fill_frames(live_stream *ls, uint64_t now_ms, bytebuf *out, size_t max)
{
    if (!ls->started && send_headers(ls, out) != 0)
        return -1;
    if (cong_tick(&ls->cong, now_ms)) {
        cam_log("stream %u: link recovered: level %s", ls->id, cong_level_name(ls->cong.level));
        if (ls->cong.level != CONG_KEY_ONLY)
            ls->need_key = 1; /* the P frames until the next key frame refer to dropped ones */
    }
    drop_stale(ls, now_ms);
    if (ls->key_requested)
        skip_to_next_key(ls, now_ms);

    while (out->len < max) {
        const flv_tag *t = &ls->clip->media[ls->idx];
        uint64_t g = global_ts(ls->clip, ls->loop, ls->idx);
        int video = t->type == FLV_TAG_VIDEO, seq = (t->flags & FLV_SEQ_HDR) != 0;

        if (!pacer_due(&ls->pc, g, now_ms))
            break;
        if (t->flags & FLV_KEY) {
            if (ls->clip != target_clip(ls)) {
                switch_clip(ls, target_clip(ls), g);
                continue;
            }
            if (ls->send_seq_headers) {
                if (emit(ls, &ls->clip->avc_seq, g, out) != 0 ||
                    (ls->clip->aac_seq.size && emit(ls, &ls->clip->aac_seq, g, out) != 0))
                    return -1;
                ls->send_seq_headers = 0;
            }
            ls->need_key = 0;
        } else if (video && !seq && (ls->need_key || ls->cong.level == CONG_KEY_ONLY)) {
            ls->dropped++;
            advance(ls);
            continue;
        }
        if (emit(ls, t, g, out) != 0)
            return -1;
        ls->frames++;
        advance(ls);
    }
    return 0;
}

void live_on_watermark(live_stream *ls, iv_avt_event_e ev, uint64_t now_ms)
{
    cong_level before = ls->cong.level;

    if (cong_on_event(&ls->cong, ev, now_ms))
        cam_log("stream %u: %s: level %s -> %s", ls->id, cong_event_name(ev), cong_level_name(before),
                cong_level_name(ls->cong.level));
    else if (ev == IV_AVT_EVENT_P2P_WATERMARK_LOW && ls->cong.step_up_at)
        cam_log("stream %u: WATERMARK_LOW: backlog gone, back up one level in %u ms if it stays so", ls->id,
                (unsigned)ls->cong.hold_ms);
    else
        cam_log("stream %u: %s: level stays %s", ls->id, cong_event_name(ev), cong_level_name(ls->cong.level));
}

void live_request_key_frame(live_stream *ls)
{
    ls->key_requested = 1;
}

void live_describe(const live_stream *ls, char *out, size_t outlen)
{
    snprintf(out, outlen, "quality=%s level=%s clip=%s", ls->want_low ? "low" : "high",
             cong_level_name(ls->cong.level), ls->clip == &ls->m->high ? "high" : "low");
}
