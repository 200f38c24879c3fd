/*
 * streams.h - the send callbacks: one stream per app request.
 *
 * p2p_handle_send_init_cb parses the request and opens a live, playback or
 * download stream; p2p_handle_send_get_cb (polled by the SDK every
 * sender_interval_ms, and again at once while it returns data) hands out the
 * bytes that are due as a malloc'd copy; p2p_handle_send_stop_cb closes it.
 *
 * Handles are stream numbers (1, 2, 3 ... never reused), not pointers: an
 * event or a stats query for a stream that has just stopped finds nothing
 * instead of touching freed memory.
 *
 * Threads: the SDK calls these on its threads, several at once; commands and
 * main's stats read the table too. A table lock guards the list of streams
 * and is held only to find one and take a reference; each stream has its own
 * lock for its state, so a slow file read of one stream never holds up
 * another. No lock of ours is held while calling into the SDK.
 */
#ifndef CAM_STREAMS_H
#define CAM_STREAMS_H

#include <stddef.h>
#include <stdint.h>

#include "iv_av.h"
#include "live.h"

/* At most this many open streams (the vendor documents 4 channels per app;
 * a camera's encoder and memory set the total). */
#define STREAMS_MAX 16
/* One poll hands out at most about this much (whole frames): the SDK polls
 * again at once while there is room, and a smaller copy leaves sooner. */
#define STREAMS_POLL_BYTES (64 * 1024)

typedef struct {
    const live_media *media;
    const char *recordings_dir;
    uint32_t restore_ms;   /* congestion: hold time before climbing a level */
    unsigned max_streams;  /* 1..STREAMS_MAX */
} streams_config;

/* What get_info and the stats lines show of one stream. */
typedef struct {
    unsigned id;
    void *handle;
    char action[12];   /* live, playback, download */
    char peer[96];
    char detail[160];  /* one line for logs */
    char quality[8];   /* live: high, low */
    char level[20];    /* live: congestion level (congestion.h) */
    uint64_t bytes, frames, dropped;
} stream_info;

void streams_setup(const streams_config *cfg);

void *streams_on_send_init(const char *params, const char *peer);
iv_cm_memory_s streams_on_send_get(void *handle);
int streams_on_send_stop(void *handle);
/* A WATERMARK_* event for the stream handle. */
void streams_on_watermark(void *handle, iv_avt_event_e ev);

/* request_key_frame for live stream id, or (id 0) for every live stream of
 * peer; returns how many streams it applies to. */
int streams_request_key_frame(const char *peer, unsigned id);

/* Up to max open streams, oldest first. */
size_t streams_snapshot(stream_info *out, size_t max);
int streams_count(void);

/* After iv_avt_p2p_exit: logs and returns how many streams were left open
 * (0: the SDK stopped every one, as it must). */
int streams_teardown(void);

#endif
