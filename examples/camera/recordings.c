#include "recordings.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cam_log.h"

int rec_name_ok(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n >= sizeof(((rec_entry *)0)->name) || name[0] == '.' || strstr(name, "..") != NULL)
        return 0;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* rec_<digits>.flv -> start time. */
static int parse_rec_name(const char *name, int64_t *start)
{
    const char *p = name + 4;
    int64_t v = 0;
    int digits = 0;

    if (strncmp(name, "rec_", 4) != 0)
        return 0;
    for (; *p >= '0' && *p <= '9' && digits < 12; p++, digits++)
        v = v * 10 + (*p - '0');
    if (digits == 0 || strcmp(p, ".flv") != 0)
        return 0;
    *start = v;
    return 1;
}

static int by_start(const void *a, const void *b)
{
    const rec_entry *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every rec_*.flv in dir, sorted, durations not read yet. */
static long scan_dir(const char *dir, rec_entry **out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    rec_entry *list = NULL;
    size_t n = 0, cap = 0;

    *out = NULL;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        rec_entry r;
        char path[4400];
        struct stat st;

        memset(&r, 0, sizeof r);
        if (!rec_name_ok(e->d_name) || !parse_rec_name(e->d_name, &r.start))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        memcpy(r.name, e->d_name, strlen(e->d_name) + 1); /* rec_name_ok: it fits */
        r.size = (uint64_t)st.st_size;
        if (n == cap) {
            rec_entry *g = realloc(list, (cap = cap ? cap * 2 : 16) * sizeof *g);
            if (g == NULL) {
                free(list);
                closedir(d);
                return -1;
            }
            list = g;
        }
        list[n++] = r;
    }
    closedir(d);
    qsort(list, n, sizeof *list, by_start);
    *out = list;
    return (long)n;
}

static int index_one(const char *dir, rec_entry *r, flv_clip *clip, char *err, size_t errlen)
{
    char path[4400];

    snprintf(path, sizeof path, "%s/%s", dir, r->name);
    if (flv_clip_open(clip, path, 0, err, errlen) != 0)
        return -1;
    r->duration_ms = clip->duration_ms;
    return 0;
}

long rec_list(const char *dir, rec_entry **out)
{
    long n = scan_dir(dir, out), i;
    char err[256];

    for (i = 0; i < n; i++) {
        flv_clip c;
        if (index_one(dir, &(*out)[i], &c, err, sizeof err) == 0)
            flv_clip_close(&c);
        else
            cam_log("recordings: %s", err); /* listed with duration 0 */
    }
    return n;
}

int playback_open(playback_stream *ps, unsigned id, const char *dir, int64_t start, int64_t end, uint32_t speed,
                  uint64_t now_ms, char *err, size_t errlen)
{
    rec_entry *all;
    long n = scan_dir(dir, &all), i, first = -1, last = -1;
    flv_clip probe;
    long k;

    memset(ps, 0, sizeof *ps);
    ps->clip.fd = -1;
    if (n < 0) {
        snprintf(err, errlen, "recordings folder %s: %s", dir, strerror(errno));
        return -1;
    }
    /* Overlap with [start, end): a recording ends where it starts plus its
     * length; only the candidates by start time are indexed. */
    for (i = 0; i < n && all[i].start < end; i++) {
        if (i + 1 < n && all[i + 1].start <= start)
            continue; /* a later recording starts before S: this one is not needed */
        if (index_one(dir, &all[i], &probe, err, errlen) != 0) {
            cam_log("playback: skipping %s", err);
            continue;
        }
        flv_clip_close(&probe);
        if (all[i].start * 1000 + all[i].duration_ms <= start * 1000)
            continue;
        if (first < 0)
            first = i;
        last = i;
    }
    if (first < 0) {
        free(all);
        snprintf(err, errlen, "nothing recorded between %" PRId64 " and %" PRId64, start, end);
        return -1;
    }
    ps->n_files = (size_t)(last - first + 1);
    ps->files = malloc(ps->n_files * sizeof *ps->files);
    if (ps->files == NULL) {
        free(all);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(ps->files, all + first, ps->n_files * sizeof *ps->files);
    free(all);
    ps->id = id;
    snprintf(ps->dir, sizeof ps->dir, "%s", dir);

    /* The span for onMetaData: each recording's part of [S, E), gaps left out. */
    for (i = 0; i < (long)ps->n_files; i++) {
        int64_t from = ps->files[i].start * 1000, to = from + ps->files[i].duration_ms;
        if (from < start * 1000)
            from = start * 1000;
        if (to > end * 1000)
            to = end * 1000;
        if (to > from)
            ps->span_s += (double)(to - from) / 1000.0;
    }

    if (index_one(dir, &ps->files[0], &ps->clip, err, errlen) != 0) {
        playback_close(ps);
        return -1;
    }
    /* Start at the last key frame at or before S (a player needs a key frame first). */
    k = start > ps->files[0].start
            ? flv_clip_key_at_or_before(&ps->clip, (uint32_t)((start - ps->files[0].start) * 1000))
            : -1;
    if (k < 0)
        k = flv_clip_key_from(&ps->clip, 0);
    ps->idx = (size_t)k;
    ps->end_ms = end * 1000;
    pacer_start(&ps->pc, now_ms, ps->clip.media[k].ts, 0, speed);
    cam_log("stream %u: playback of %zu recording(s) from %s, %.1f s, speed %u", id, ps->n_files,
            ps->files[0].name, ps->span_s, (unsigned)speed);
    return 0;
}

/* Moves on to the next recording. Returns 0, 1 if there is none, -1 on error. */
static int next_file(playback_stream *ps)
{
    char err[256];
    long k;

    ps->file_src0 += ps->clip.duration_ms; /* continuous: gaps between files are left out */
    flv_clip_close(&ps->clip);
    if (++ps->cur >= ps->n_files)
        return 1;
    if (index_one(ps->dir, &ps->files[ps->cur], &ps->clip, err, sizeof err) != 0) {
        cam_log("stream %u: %s", ps->id, err);
        return -1;
    }
    k = flv_clip_key_from(&ps->clip, 0);
    ps->idx = (size_t)k;
    ps->send_seq_headers = 1; /* the new file's encoder settings may differ */
    return 0;
}

/* Whether frame t of the current file is at or after end_time. */
static int past_end(const playback_stream *ps, const flv_tag *t)
{
    return ps->files[ps->cur].start * 1000 + (int64_t)t->ts >= ps->end_ms;
}

static int emit(playback_stream *ps, const flv_tag *t, uint64_t src, bytebuf *out)
{
    return flv_copy_tag(&ps->clip, t, pacer_out_ts(&ps->pc, src), out);
}

static int send_headers(playback_stream *ps, bytebuf *out)
{
    const flv_clip *c = &ps->clip;

    flv_write_file_header(out, c->av_flags);
    if (flv_copy_meta(c, ps->span_s, out) != 0 || flv_copy_tag(c, &c->avc_seq, 0, out) != 0)
        return -1;
    if (c->aac_seq.size && flv_copy_tag(c, &c->aac_seq, 0, out) != 0)
        return -1;
    ps->started = 1;
    return 0;
}

static int fill_frames(playback_stream *ps, uint64_t now_ms, bytebuf *out, size_t max);

int playback_fill(playback_stream *ps, uint64_t now_ms, bytebuf *out, size_t max)
{
    size_t before = out->len;
    int rc = fill_frames(ps, now_ms, out, max);

    ps->bytes += out->len - before;
    return rc;
}

static int fill_frames(playback_stream *ps, uint64_t now_ms, bytebuf *out, size_t max)
{
    int rc;

    if (ps->cur >= ps->n_files)
        return 1;
    if (!ps->started && send_headers(ps, out) != 0)
        return -1;
    while (out->len < max) {
        const flv_tag *t;
        uint64_t src;

        if (ps->idx >= ps->clip.n_media || past_end(ps, &ps->clip.media[ps->idx])) {
            if ((rc = next_file(ps)) != 0)
                return rc;
            continue;
        }
        t = &ps->clip.media[ps->idx];
        src = ps->file_src0 + t->ts;
        if (!pacer_due(&ps->pc, src, now_ms))
            break;
        if (ps->send_seq_headers && (t->flags & FLV_KEY)) {
            if (emit(ps, &ps->clip.avc_seq, src, out) != 0 ||
                (ps->clip.aac_seq.size && emit(ps, &ps->clip.aac_seq, src, out) != 0))
                return -1;
            ps->send_seq_headers = 0;
        }
        if (emit(ps, t, src, out) != 0)
            return -1;
        ps->frames++;
        ps->idx++;
    }
    return 0;
}

void playback_close(playback_stream *ps)
{
    if (ps->clip.fd >= 0 || ps->clip.media != NULL)
        flv_clip_close(&ps->clip);
    free(ps->files);
    ps->files = NULL;
    ps->n_files = 0;
}
