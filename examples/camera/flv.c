#include "flv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cam_log.h"

static uint32_t be24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | be24(p + 1);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    int i;
    for (i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int flv_parse_tag(const uint8_t *p, size_t n, uint64_t offset, flv_tag *t)
{
    uint32_t body;

    if (n < FLV_TAG_HEADER_SIZE)
        return -1;
    body = be24(p + 1);
    memset(t, 0, sizeof *t);
    t->offset = offset;
    t->type = p[0] & 0x1f; /* bit 5 is the "filter" (encryption) flag */
    t->size = FLV_TAG_HEADER_SIZE + body + FLV_PREV_SIZE;
    /* Timestamp: 24 low bits, then the extension byte holds bits 31..24. */
    t->ts = be24(p + 4) | (uint32_t)p[7] << 24;
    if (t->type == FLV_TAG_VIDEO && body >= 2 && n >= 13 && (p[11] & 0x0f) == FLV_CODEC_AVC) {
        if (p[12] == 0)
            t->flags |= FLV_SEQ_HDR;
        else if (p[12] == 1 && (p[11] >> 4) == 1)
            t->flags |= FLV_KEY;
        else if (p[12] == 2)
            t->flags |= FLV_END_SEQ;
    } else if (t->type == FLV_TAG_AUDIO && body >= 2 && n >= 13 && (p[11] >> 4) == FLV_SOUND_AAC && p[12] == 0) {
        t->flags |= FLV_SEQ_HDR;
    }
    return 0;
}

/* Reads n bytes at off from the clip's memory or file. */
static int read_at(const flv_clip *c, uint64_t off, uint8_t *dst, size_t n)
{
    size_t done = 0;

    if (off > c->file_size || n > c->file_size - off)
        return -1;
    if (c->data != NULL) {
        memcpy(dst, c->data + off, n);
        return 0;
    }
    while (done < n) {
        ssize_t r = pread(c->fd, dst + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

static int add_media(flv_clip *c, const flv_tag *t, size_t *cap)
{
    if (c->n_media == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        flv_tag *m = realloc(c->media, ncap * sizeof *m);
        if (m == NULL)
            return -1;
        c->media = m;
        *cap = ncap;
    }
    c->media[c->n_media++] = *t;
    return 0;
}

/* Length of one track: its last timestamp plus its last frame interval. */
static uint32_t track_end(uint32_t last, uint32_t prev, int count)
{
    return count >= 2 ? last + (last - prev) : last + 1;
}

/* duration_ms and max_gop_ms from the index. */
static int measure(flv_clip *c, char *err, size_t errlen)
{
    uint32_t last[2] = {0, 0}, prev[2] = {0, 0}, end;
    int count[2] = {0, 0};
    long first_key = -1, last_key = -1;
    size_t i;

    for (i = 0; i < c->n_media; i++) {
        const flv_tag *t = &c->media[i];
        int k = t->type == FLV_TAG_VIDEO;
        if (t->flags & FLV_SEQ_HDR)
            continue;
        prev[k] = last[k];
        last[k] = t->ts;
        count[k]++;
        if (t->flags & FLV_KEY) {
            if (last_key >= 0 && t->ts - c->media[last_key].ts > c->max_gop_ms)
                c->max_gop_ms = t->ts - c->media[last_key].ts;
            if (first_key < 0)
                first_key = (long)i;
            last_key = (long)i;
        }
    }
    if (first_key < 0)
        return fail(err, errlen, "no H.264 key frame");
    c->duration_ms = track_end(last[1], prev[1], count[1]);
    end = track_end(last[0], prev[0], count[0]);
    if (count[0] > 0 && end > c->duration_ms)
        c->duration_ms = end;
    if (c->max_gop_ms == 0) /* one key frame: the whole clip */
        c->max_gop_ms = c->duration_ms;
    return 0;
}

/* Walks the tags of an opened clip and fills its index. */
static int index_tags(flv_clip *c, char *err, size_t errlen)
{
    uint8_t h[FLV_FILE_HEADER_SIZE], th[13];
    uint64_t pos;
    size_t cap = 0;

    if (read_at(c, 0, h, sizeof h) != 0 || memcmp(h, "FLV", 3) != 0 || h[3] != 1)
        return fail(err, errlen, "not an FLV file");
    c->av_flags = h[4] & (FLV_HAS_AUDIO | FLV_HAS_VIDEO);
    pos = (uint64_t)be32(h + 5) + FLV_PREV_SIZE;
    while (pos + FLV_TAG_HEADER_SIZE <= c->file_size) {
        flv_tag t;
        size_t n = c->file_size - pos < sizeof th ? (size_t)(c->file_size - pos) : sizeof th;
        if (read_at(c, pos, th, n) != 0 || flv_parse_tag(th, n, pos, &t) != 0)
            return fail(err, errlen, "cannot read the tag at byte %llu", (unsigned long long)pos);
        if (pos + t.size > c->file_size)
            break; /* a truncated last tag, as a recording cut by a power loss ends */
        if (t.flags & FLV_END_SEQ) {
            /* A looping stream must not tell the decoder the sequence ended;
             * a stream's end is the end of the FLV stream itself. */
        } else if (t.type == FLV_TAG_SCRIPT) {
            if (c->meta.size == 0)
                c->meta = t;
        } else if (t.type == FLV_TAG_VIDEO && (t.flags & FLV_SEQ_HDR) && c->avc_seq.size == 0) {
            c->avc_seq = t;
        } else if (t.type == FLV_TAG_AUDIO && (t.flags & FLV_SEQ_HDR) && c->aac_seq.size == 0) {
            c->aac_seq = t;
        } else if (t.type == FLV_TAG_VIDEO || t.type == FLV_TAG_AUDIO) {
            if (t.type == FLV_TAG_VIDEO && n >= 12 && (th[11] & 0x0f) != FLV_CODEC_AVC)
                return fail(err, errlen, "video is not H.264 (FLV codec id %d)", th[11] & 0x0f);
            if (add_media(c, &t, &cap) != 0)
                return fail(err, errlen, "out of memory");
        }
        pos += t.size;
    }
    if (c->avc_seq.size == 0)
        return fail(err, errlen, "no H.264 sequence header (AVC decoder configuration)");
    return measure(c, err, errlen);
}

int flv_clip_open(flv_clip *c, const char *path, int in_memory, char *err, size_t errlen)
{
    struct stat st;
    int rc;

    memset(c, 0, sizeof *c);
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c->fd < 0)
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    if (fstat(c->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        flv_clip_close(c);
        return fail(err, errlen, "%s: not a regular file", path);
    }
    c->file_size = (uint64_t)st.st_size;
    if (in_memory) {
        c->data = malloc(c->file_size ? c->file_size : 1);
        if (c->data == NULL) {
            flv_clip_close(c);
            return fail(err, errlen, "%s: out of memory", path);
        }
        /* read_at reads from the file while data is not filled in yet. */
        {
            uint8_t *d = c->data;
            c->data = NULL;
            rc = read_at(c, 0, d, c->file_size);
            c->data = d;
        }
        close(c->fd);
        c->fd = -1;
        if (rc != 0) {
            flv_clip_close(c);
            return fail(err, errlen, "%s: read error", path);
        }
    }
    if (index_tags(c, err, errlen) != 0) {
        char why[128];
        snprintf(why, sizeof why, "%s", err);
        flv_clip_close(c);
        return fail(err, errlen, "%s: %s", path, why);
    }
    return 0;
}

void flv_clip_close(flv_clip *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->data);
    free(c->media);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

void flv_clip_make_loop(flv_clip *c)
{
    uint32_t first = 0, last = 0, prev = 0, end;
    long first_key = -1, last_key = -1;
    size_t i, n = 0, videos = 0;

    for (i = 0; i < c->n_media; i++) {
        const flv_tag *t = &c->media[i];
        if (t->type != FLV_TAG_VIDEO || (t->flags & FLV_SEQ_HDR))
            continue;
        if (videos++ == 0)
            first = t->ts;
        prev = last;
        last = t->ts;
    }
    end = track_end(last, prev, (int)videos);
    for (i = 0; i < c->n_media; i++) /* keep the frames inside [first, end) */
        if (c->media[i].ts >= first && c->media[i].ts < end)
            c->media[n++] = c->media[i];
    c->n_media = n;
    c->loop_start_ms = first;
    c->loop_ms = end - first;
    for (i = 0; i < c->n_media; i++)
        if (c->media[i].flags & FLV_KEY) {
            if (first_key < 0)
                first_key = (long)i;
            last_key = (long)i;
        }
    /* From the last key frame round to the first one of the next loop. */
    end = c->loop_ms - (c->media[last_key].ts - c->media[first_key].ts);
    if (end > c->max_gop_ms || first_key == last_key)
        c->max_gop_ms = end;
}

long flv_clip_key_at_or_before(const flv_clip *c, uint32_t ts_ms)
{
    long found = -1;
    size_t i;

    for (i = 0; i < c->n_media && c->media[i].ts <= ts_ms; i++)
        if (c->media[i].flags & FLV_KEY)
            found = (long)i;
    return found;
}

long flv_clip_key_from(const flv_clip *c, size_t from)
{
    size_t i;

    for (i = from; i < c->n_media; i++)
        if (c->media[i].flags & FLV_KEY)
            return (long)i;
    return -1;
}

void flv_write_file_header(bytebuf *out, uint8_t av_flags)
{
    const uint8_t h[FLV_FILE_HEADER_SIZE + FLV_PREV_SIZE] = {'F', 'L', 'V', 1, av_flags, 0, 0, 0, 9, 0, 0, 0, 0};
    bytebuf_append(out, h, sizeof h);
}

int flv_copy_tag(const flv_clip *c, const flv_tag *t, uint32_t ts, bytebuf *out)
{
    uint8_t *dst = bytebuf_reserve(out, t->size);

    if (dst == NULL)
        return -1;
    if (read_at(c, t->offset, dst, t->size) != 0) {
        cam_log("flv: cannot read %u bytes at %llu", (unsigned)t->size, (unsigned long long)t->offset);
        return -1;
    }
    dst[4] = (uint8_t)(ts >> 16);
    dst[5] = (uint8_t)(ts >> 8);
    dst[6] = (uint8_t)ts;
    dst[7] = (uint8_t)(ts >> 24);
    out->len += t->size;
    return 0;
}

/* Sets the AMF0 number property name (as stored: u16 length, bytes, type 0 = number, 8-byte double). */
static void set_amf_number(uint8_t *body, size_t len, const char *name, double v)
{
    size_t nlen = strlen(name), i;
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits); /* IEEE 754 double, stored big-endian */
    for (i = 0; i + 2 + nlen + 1 + 8 <= len; i++) {
        if (body[i] == (uint8_t)(nlen >> 8) && body[i + 1] == (uint8_t)nlen &&
            memcmp(body + i + 2, name, nlen) == 0 && body[i + 2 + nlen] == 0) {
            put_be64(body + i + 3 + nlen, bits);
            return;
        }
    }
}

int flv_copy_meta(const flv_clip *c, double duration_s, bytebuf *out)
{
    size_t at = out->len;
    uint8_t *body;

    if (c->meta.size == 0)
        return 0;
    if (flv_copy_tag(c, &c->meta, 0, out) != 0)
        return -1;
    body = out->data + at + FLV_TAG_HEADER_SIZE;
    set_amf_number(body, c->meta.size - FLV_TAG_HEADER_SIZE - FLV_PREV_SIZE, "duration", duration_s);
    set_amf_number(body, c->meta.size - FLV_TAG_HEADER_SIZE - FLV_PREV_SIZE, "filesize", 0);
    return 0;
}
