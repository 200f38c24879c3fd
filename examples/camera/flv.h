/*
 * flv.h - reading FLV files (the camera's clips and recordings) and writing
 * FLV streams.
 *
 * An FLV file is a 9-byte header, a 4-byte "previous tag size" 0, then tags:
 *   type u8 (8 audio, 9 video, 18 script) | body size u24 | timestamp u24 |
 *   timestamp bits 31..24 u8 | stream id u24 (0) | body | previous tag size u32
 * (Adobe, "Video File Format Specification" v10, annex E). Timestamps are
 * milliseconds, decoding order. Video bodies start with frame type << 4 |
 * codec (7 = AVC) and, for AVC, a packet type (0 = decoder configuration,
 * the "sequence header"; 1 = NAL units); audio bodies with the sound format
 * (10 = AAC) and, for AAC, a packet type (0 = AudioSpecificConfig).
 *
 * A clip is indexed once (flv_clip_open): where each tag is, its timestamp,
 * whether it is a key frame. The bytes are either loaded into memory (the
 * live clips, read by every live stream at once) or read from the file when a
 * tag is copied (recordings, which may be large).
 */
#ifndef CAM_FLV_H
#define CAM_FLV_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

#define FLV_TAG_AUDIO 8
#define FLV_TAG_VIDEO 9
#define FLV_TAG_SCRIPT 18
#define FLV_FILE_HEADER_SIZE 9 /* "FLV", version 1, flags, header size u32 */
#define FLV_TAG_HEADER_SIZE 11
#define FLV_PREV_SIZE 4
#define FLV_CODEC_AVC 7
#define FLV_SOUND_AAC 10
#define FLV_HAS_AUDIO 0x04 /* FLV header flags */
#define FLV_HAS_VIDEO 0x01

enum {
    FLV_KEY = 1,     /* a video key frame (AVC NAL units of frame type 1) */
    FLV_SEQ_HDR = 2, /* AVC decoder configuration or AAC AudioSpecificConfig */
    FLV_END_SEQ = 4  /* AVC end of sequence (ffmpeg writes one last; left out of the index) */
};

typedef struct {
    uint64_t offset; /* of the tag header in the file */
    uint32_t size;   /* tag header + body + trailing previous tag size */
    uint32_t ts;     /* milliseconds */
    uint8_t type;    /* FLV_TAG_* */
    uint8_t flags;   /* FLV_KEY, FLV_SEQ_HDR */
} flv_tag;

typedef struct {
    int fd;              /* the file, while tags are read from it; -1 for a clip in memory */
    uint8_t *data;       /* the whole file for a clip in memory, else NULL */
    uint64_t file_size;
    uint8_t av_flags;    /* FLV_HAS_AUDIO | FLV_HAS_VIDEO, from the file header */
    flv_tag meta;        /* the first onMetaData script tag (size 0: none) */
    flv_tag avc_seq;     /* the first AVC sequence header (always present) */
    flv_tag aac_seq;     /* the first AAC sequence header (size 0: none) */
    flv_tag *media;      /* audio and video frames in file order (later sequence headers too) */
    size_t n_media;
    uint32_t duration_ms;  /* length of the clip: last timestamp + one frame, per track */
    uint32_t max_gop_ms;   /* longest distance between key frames (looping included after flv_clip_make_loop) */
    uint32_t loop_start_ms, loop_ms; /* flv_clip_make_loop: the loop is [start, start + ms) */
} flv_clip;

/*
 * Indexes the FLV file at path. in_memory: load its bytes too and close the
 * file. Requires H.264 video with a sequence header and at least one key
 * frame (what a player needs to start). Returns 0, or -1 with a reason in err.
 */
int flv_clip_open(flv_clip *c, const char *path, int in_memory, char *err, size_t errlen);
void flv_clip_close(flv_clip *c);

/*
 * Prepares a clip for looping on the video's frame clock: the loop is
 * [first video frame, last video frame + one frame interval), and audio
 * frames outside it are dropped from the index. An encoder's AAC priming
 * frame sits before the first video frame (ffmpeg shifts both tracks by it);
 * keeping it would give each loop one audio frame too many.
 */
void flv_clip_make_loop(flv_clip *c);

/* Index of the last key frame in media[] with ts <= ts_ms, or -1 if none. */
long flv_clip_key_at_or_before(const flv_clip *c, uint32_t ts_ms);
/* Index of the first key frame in media[] at or after index from, or -1 if none. */
long flv_clip_key_from(const flv_clip *c, size_t from);

/* Appends the 9-byte FLV header and the 4-byte previous tag size 0. */
void flv_write_file_header(bytebuf *out, uint8_t av_flags);

/* Appends tag t of the clip with its timestamp replaced by ts. Returns 0, or -1
 * if it could not be read (the reason is logged). */
int flv_copy_tag(const flv_clip *c, const flv_tag *t, uint32_t ts, bytebuf *out);

/* Appends the clip's onMetaData (if it has one) at timestamp 0 with
 * "duration" set to duration_s and "filesize" to 0 (a live stream has neither). */
int flv_copy_meta(const flv_clip *c, double duration_s, bytebuf *out);

/* Parses one tag header plus the first two body bytes at p (n >= 13 bytes, or
 * n >= 11 for a tag with a shorter body). Exposed for the unit tests. */
int flv_parse_tag(const uint8_t *p, size_t n, uint64_t offset, flv_tag *t);

#endif
