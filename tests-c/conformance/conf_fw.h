/*
 * conf_fw - the conformance "firmware": all seven iv_av.h callbacks, written
 * the way camera firmware would, recording everything the engine does to
 * them so the scenarios can check it.
 *
 * Streams: send_init_cb accepts params "bytes=N&seed=S&chunk=C" (other keys
 * ignored; bytes 0 or absent = endless, chunk default 4096) and returns a new
 * handle, or NULL when the params hold "refuse=1". send_get_cb hands out
 * malloc'd chunks of the pattern (conf_pattern.h) with a buf_free_fn, then
 * {NULL, (size_t)-1} after N bytes. Talk: every chunk is kept with its
 * boundaries. Commands: "close" gets {NULL, 0} (channel closed), "big:N" an
 * N-byte reply (pattern_fill_text, seed 99), anything else "echo:" + the
 * command.
 *
 * Threads: callbacks run on the engine's threads; every record is under
 * fw_lock(), and every callback wakes fw_wait().
 */
#ifndef IVP2P_CONF_FW_H
#define IVP2P_CONF_FW_H

#include <stddef.h>
#include <stdint.h>

#include "iv_av.h"

#define FW_MAX_STREAMS 96
#define FW_MAX_TALKS 8
#define FW_MAX_EVENTS 8192
#define FW_MAX_OUTSTANDING 4096
#define FW_PEER_MAX 160

typedef struct {
    void *handle;
    char params[512];
    char peer[FW_PEER_MAX];
    uint32_t seed;
    uint64_t total;             /* bytes= (0: endless) */
    size_t chunk;
    uint64_t served;            /* bytes handed out */
    uint64_t buffers, frees;    /* buffers handed out with a free fn, and their frees */
    int gets;                   /* send_get_cb calls */
    int ended;                  /* send_get_cb returned {NULL, (size_t)-1} */
    int stops;                  /* send_stop_cb calls */
    int after_stop;             /* send_get, free or watermark event after send_stop_cb */
    int gets_after_end;         /* send_get_cb after the end was returned */
    int high;                   /* between WATERMARK_HIGH and WATERMARK_LOW */
    int gets_while_high;
    int warns, highs, lows;
    size_t buf_at_low_max;      /* iv_avt_p2p_get_send_buf inside the LOW events, the largest */
    iv_p2p_send_stats_s stop_stats; /* iv_avt_p2p_get_send_status inside send_stop_cb */
    size_t stop_send_buf;           /* iv_avt_p2p_get_send_buf inside send_stop_cb */
} fw_stream;

typedef struct {
    void *handle;
    char params[256];
    char peer[FW_PEER_MAX];
    size_t *lens;               /* chunk lengths, in order */
    int chunks, lens_cap;
    uint8_t *data;              /* the chunks' bytes, concatenated */
    size_t bytes, data_cap;
    int ends;                   /* recv_voice_cb(handle, NULL, 0) */
    int after_end;              /* chunks after the end */
} fw_talk;

typedef struct {
    iv_avt_event_e event;
    void *handle;
} fw_event;

struct fw_state {
    fw_stream streams[FW_MAX_STREAMS];
    int stream_count;
    int refused;                /* send_init_cb that returned NULL */
    fw_talk talks[FW_MAX_TALKS];
    int talk_count;
    fw_event events[FW_MAX_EVENTS];
    int event_count;            /* may exceed FW_MAX_EVENTS; the log keeps the first ones */
    int commands;               /* command_cb calls */
    char command_last[256];
    char command_peer[FW_PEER_MAX]; /* of the last command */
    int command_peer_switches;  /* commands whose peer differs from the one before */
    int command_not_nul;        /* commands without the NUL after cmd_len bytes */
    long calls;                 /* every callback, buf_free_fn included */
    int unknown_handles;        /* a callback with a handle we never returned */
    int on_init_thread;         /* a callback on the thread that called init (but see on_exit_thread) */
    int on_exit_thread;         /* a callback on the thread in fw_exit, during iv_avt_p2p_exit */
    int bad_frees;              /* buf_free_fn of an unknown buffer or with another size */
    int outstanding;            /* buffers handed out and not yet freed */
};

extern struct fw_state fw;

void fw_lock(void);
void fw_unlock(void);

/* Waits until pred(arg) holds (evaluated under the lock after every
 * callback), at most timeout_ms. Returns 1 if it holds, else 0. */
int fw_wait(int (*pred)(void *arg), void *arg, int timeout_ms);

/* Picks two distinct UDP ports free on every address (bound, read, closed). */
int fw_free_udp_ports(int *probe_port, int *trans_port);

/* iv_avt_p2p_init with all seven callbacks, LAN mode on 127.0.0.1 with these
 * ports and this device id, keep-alive 2 s x 3, INFO log to stderr. The
 * access key must be in IVP2P_ACCESS_KEY already. Returns init's code. */
int fw_init(int probe_port, int trans_port, const char *device_id);

/* iv_avt_p2p_exit, noting which callbacks run on the calling thread meanwhile. */
int fw_exit(void);

/* The stream (under the lock) with this index, in send_init_cb order. */
fw_stream *fw_stream_at(int index);

/* Events of this kind for this handle (NULL: any handle) so far; under the lock. */
int fw_event_count(iv_avt_event_e event, void *handle);

#endif
