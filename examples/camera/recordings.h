/*
 * recordings.h - the camera's recordings folder, and playback from it.
 *
 * A recording is an FLV file named rec_<start>.flv, <start> being its start
 * time in Unix seconds (UTC), the way a camera writes one segment file every
 * few minutes to its SD card. Its length is read from the file.
 *
 * Playback (action=playback&channel=0&start_time=S&end_time=E[&speed=N]):
 * the recordings that overlap [S, E) are sent one after the other as one FLV
 * stream: from the last key frame at or before S in the first one, to E in
 * the last one. The gaps between recordings are left out (timestamps run on
 * continuously), as NVR playback does. Frames are paced at N times real time
 * (default 1). After the last frame the stream ends ({NULL, (size_t)-1}).
 *
 * Reading: each recording is indexed when the stream reaches it and its
 * frames are read from the file one poll at a time, so a long recording never
 * sits in memory. Those reads are the only file I/O in a send_get callback;
 * on a camera whose SD card can stall for long, move them to a reader thread.
 */
#ifndef CAM_RECORDINGS_H
#define CAM_RECORDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "flv.h"
#include "pacer.h"

typedef struct {
    char name[64];         /* rec_<start>.flv */
    int64_t start;         /* Unix seconds */
    uint32_t duration_ms;  /* 0 until indexed */
    uint64_t size;
} rec_entry;

/* A name a download may ask for: 1..63 characters of [A-Za-z0-9_.-], not
 * starting with '.', no "..". Nothing else can name a file outside the
 * folder (no '/'); download.c also refuses symbolic links. */
int rec_name_ok(const char *name);

/* The recordings in dir, sorted by start time, with their durations (each
 * file is indexed: call it from a command, not per frame). *out is malloc'd;
 * returns the count, or -1 if dir cannot be read. */
long rec_list(const char *dir, rec_entry **out);

typedef struct {
    unsigned id;
    rec_entry *files;      /* the recordings to send, in order */
    size_t n_files, cur;
    flv_clip clip;         /* files[cur], indexed, frames read from disk */
    size_t idx;            /* the next frame of clip */
    uint64_t file_src0;    /* playback time of files[cur]'s timestamp 0 */
    int64_t end_ms;        /* end_time, Unix milliseconds */
    char dir[4096];
    pacer pc;
    int started, send_seq_headers;
    double span_s;         /* what the stream covers, for onMetaData */
    uint64_t frames, bytes;
} playback_stream;

/* Finds the recordings for [start, end) and opens the first. Returns 0, or -1
 * with the reason in err (nothing recorded then, bad folder, bad file). */
int playback_open(playback_stream *ps, unsigned id, const char *dir, int64_t start, int64_t end, uint32_t speed,
                  uint64_t now_ms, char *err, size_t errlen);

/* Appends the frames due by now_ms, up to about max bytes. Returns 0, 1 when
 * the stream is complete (everything was appended), -1 on a read error. */
int playback_fill(playback_stream *ps, uint64_t now_ms, bytebuf *out, size_t max);

void playback_close(playback_stream *ps);

#endif
