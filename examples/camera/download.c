#include "download.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cam_log.h"
#include "recordings.h"

int download_open(download_stream *ds, unsigned id, const char *dir, const char *name, uint64_t offset, char *err,
                  size_t errlen)
{
    struct stat st;
    int dfd;

    memset(ds, 0, sizeof *ds);
    ds->fd = -1;
    if (!rec_name_ok(name)) {
        snprintf(err, errlen, "file_name \"%s\" is not a plain file name", name);
        return -1;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, errlen, "recordings folder %s: %s", dir, strerror(errno));
        return -1;
    }
    /* openat under the folder + O_NOFOLLOW: the name cannot leave the folder,
     * not even through a symbolic link someone placed in it. */
    ds->fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    close(dfd);
    if (ds->fd < 0) {
        snprintf(err, errlen, "%s: %s", name, strerror(errno));
        return -1;
    }
    if (fstat(ds->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", name);
        download_close(ds);
        return -1;
    }
    ds->size = (uint64_t)st.st_size;
    if (offset > ds->size) {
        snprintf(err, errlen, "offset %llu is past the end of %s (%llu bytes)", (unsigned long long)offset, name,
                 (unsigned long long)ds->size);
        download_close(ds);
        return -1;
    }
    ds->pos = offset;
    ds->id = id;
    cam_log("stream %u: download %s from byte %llu of %llu", id, name, (unsigned long long)offset,
            (unsigned long long)ds->size);
    return 0;
}

int download_fill(download_stream *ds, bytebuf *out, size_t max)
{
    while (out->len < max && ds->pos < ds->size) {
        size_t want = max - out->len;
        uint8_t *dst;
        ssize_t n;

        if (want > ds->size - ds->pos)
            want = (size_t)(ds->size - ds->pos);
        if ((dst = bytebuf_reserve(out, want)) == NULL)
            return -1;
        n = pread(ds->fd, dst, want, (off_t)ds->pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cam_log("stream %u: read error: %s", ds->id, strerror(errno));
            return -1;
        }
        if (n == 0) /* the file shrank: end here */
            ds->size = ds->pos;
        out->len += (size_t)n;
        ds->pos += (uint64_t)n;
        ds->bytes += (uint64_t)n;
    }
    return ds->pos >= ds->size ? 1 : 0;
}

void download_close(download_stream *ds)
{
    if (ds->fd >= 0)
        close(ds->fd);
    ds->fd = -1;
}
