/*
 * congestion.h - what a live stream does when the link cannot carry it.
 *
 * The SDK measures each stream's un-acknowledged bytes against the
 * watermarks set with iv_avt_p2p_set_buf_watermark (the vendor's sample
 * values: low 200 KB, warn 400 KB, high 500 KB) and reports crossings to
 * p2p_handle_event_notify_cb. The vendor describes the watermarks as "for
 * link congestion awareness and bitrate control" and its FAQ suggests
 * lowering the video bitrate when they are crossed. A live stream here has
 * three levels:
 *
 *   FULL         the quality the app asked for (quality=high: clip_high.flv)
 *   LOW_BITRATE  the low-bitrate clip (the encoder's second stream on a real camera)
 *   KEY_ONLY     the low-bitrate clip, key frames only (audio goes on)
 *
 * Down at once, up slowly:
 *   WARN  -> at least LOW_BITRATE
 *   HIGH  -> KEY_ONLY (the SDK also stops polling the stream until LOW;
 *            frames that went stale meanwhile are dropped, see live.c)
 *   LOW   -> the backlog is gone: after hold_ms one level up, then one more
 *            level every hold_ms while no new WARN or HIGH arrives.
 * Climbing one level at a time keeps a link that carries the low clip but
 * not the high one from swinging between the two every few seconds.
 *
 * The state machine takes the time as an argument and holds no lock; the
 * stream that owns it does the locking (streams.c).
 */
#ifndef CAM_CONGESTION_H
#define CAM_CONGESTION_H

#include <stdint.h>

#include "iv_av.h"

/* The vendor sample's watermarks (iv_avt_p2p_set_buf_watermark, bytes). */
#define CONG_LOW_MARK (200 * 1024)
#define CONG_WARN_MARK (400 * 1024)
#define CONG_HIGH_MARK (500 * 1024)

typedef enum { CONG_FULL = 0, CONG_LOW_BITRATE = 1, CONG_KEY_ONLY = 2 } cong_level;

typedef struct {
    cong_level level;
    uint64_t step_up_at; /* when to climb one level; 0 = not planned */
    uint32_t hold_ms;
} cong_state;

void cong_init(cong_state *s, uint32_t hold_ms);

/* A watermark event for the stream. Returns 1 if the level changed. */
int cong_on_event(cong_state *s, iv_avt_event_e ev, uint64_t now_ms);

/* Climbs one level if it is time. Returns 1 if the level changed. */
int cong_tick(cong_state *s, uint64_t now_ms);

const char *cong_level_name(cong_level level);
const char *cong_event_name(iv_avt_event_e ev);

/* Sets the watermarks above; returns the SDK's result. */
int cong_set_watermarks(void);

/* Logs one "stats" line per open stream: our counters, then
 * iv_avt_p2p_get_send_buf and iv_avt_p2p_get_send_status from the SDK. */
void cong_print_stats(void);

#endif
