/*
 * live.h - the live view: what the camera's encoder would produce, from a
 * looping test clip.
 *
 * The camera has one clock (since boot) and two "encoder outputs": the high
 * and the low-bitrate clip, each looping on that clock. Every live stream
 * shows the same moment, like viewers of a real camera: it starts at the last
 * key frame before now (the frames from there to now go out at once, so the
 * player can start decoding immediately), then frames go out when the camera
 * clock reaches their timestamps. Each stream starts with the FLV header,
 * onMetaData (duration 0: live), the AVC and AAC sequence headers, then the
 * key frame.
 *
 * A live_stream is not thread-safe: its owner (streams.c) locks it.
 */
#ifndef CAM_LIVE_H
#define CAM_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "congestion.h"
#include "flv.h"
#include "iv_av.h"
#include "pacer.h"

typedef struct {
    flv_clip high, low;
    uint64_t boot_ms; /* the camera clock's zero */
} live_media;

/* Loads <dir>/clip_high.flv and <dir>/clip_low.flv into memory. */
int live_media_load(live_media *m, const char *dir, char *err, size_t errlen);
void live_media_free(live_media *m);

typedef struct {
    const live_media *m;
    unsigned id;            /* for log lines */
    int want_low;           /* the app asked for quality=low */
    const flv_clip *clip;   /* the clip frames come from now */
    uint64_t loop;          /* loops of clip before media[idx] */
    size_t idx;             /* the next frame of clip */
    pacer pc;
    cong_state cong;
    int started;            /* FLV header and sequence headers sent */
    int need_key;           /* drop video until a key frame (its references were dropped) */
    int send_seq_headers;   /* send the sequence headers again before the next key frame */
    int key_requested;      /* request_key_frame: skip ahead to the next key frame */
    uint64_t frames, dropped, bytes;
} live_stream;

void live_open(live_stream *ls, const live_media *m, unsigned id, int want_low, uint32_t restore_ms,
               uint64_t now_ms);

/* Appends the frames due by now_ms to out, stopping once out holds max bytes
 * (at least one frame goes in). Returns 0, or -1 if memory ran out. */
int live_fill(live_stream *ls, uint64_t now_ms, bytebuf *out, size_t max);

void live_on_watermark(live_stream *ls, iv_avt_event_e ev, uint64_t now_ms);
void live_request_key_frame(live_stream *ls);

/* "quality=high level=full" for logs and get_info. */
void live_describe(const live_stream *ls, char *out, size_t outlen);

#endif
