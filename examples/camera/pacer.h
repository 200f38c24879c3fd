/*
 * pacer.h - when a stream's next frame is due, and the timestamp it gets.
 *
 * A stream reads frames from a source timeline (for live: the camera's clock
 * since boot, across clip loops; for playback: the recordings one after the
 * other) and writes them with output timestamps that start near 0 and only
 * ever increase, as a player expects. The pacer holds that mapping:
 *
 *   out_ts(src) = out_base + (src - src_base)
 *   due(src)    <=> out_ts(src) <= stream clock
 *   stream clock = lead + (now - opened) * speed
 *
 * "lead" lets a stream begin with a burst: a live stream starts at the last
 * key frame before "now", and the frames from there to now are due at once
 * (the GOP cache of a real camera), so a player shows a picture immediately.
 * pacer_jump moves the mapping so that a given source frame is output now
 * (used when a stream skips ahead: a requested key frame, or dropping the
 * frames that went stale while the SDK paused the stream).
 *
 * The pacer holds no lock and reads no clock: the caller passes now_ms, so the
 * unit tests can drive it. All times are milliseconds.
 */
#ifndef CAM_PACER_H
#define CAM_PACER_H

#include <stdint.h>

typedef struct {
    uint64_t opened_ms; /* monotonic time the stream opened */
    uint64_t lead_ms;   /* stream clock at opened_ms */
    uint64_t out_base;  /* output timestamp of src_base */
    uint64_t src_base;
    uint32_t speed;     /* 1 = real time (live), n = playback at n times */
    uint32_t last_out;  /* last output timestamp handed out */
} pacer;

/* src_first is output with timestamp 0; lead_ms of source time is due at once. */
void pacer_start(pacer *p, uint64_t now_ms, uint64_t src_first, uint64_t lead_ms, uint32_t speed);

/* The stream clock: how far output timestamps may have got by now. */
uint64_t pacer_clock(const pacer *p, uint64_t now_ms);

/* The source time the stream clock has reached (what should be playing now). */
uint64_t pacer_src_now(const pacer *p, uint64_t now_ms);

int pacer_due(const pacer *p, uint64_t src, uint64_t now_ms);

/* How far the frame at src is behind the stream clock (0 if it is not). */
uint64_t pacer_lag(const pacer *p, uint64_t src, uint64_t now_ms);

/* The output timestamp of src; never below one already handed out. */
uint32_t pacer_out_ts(pacer *p, uint64_t src);

/* From now on src is due at once and is output at the current stream clock. */
void pacer_jump(pacer *p, uint64_t src, uint64_t now_ms);

#endif
