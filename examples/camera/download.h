/*
 * download.h - action=download&channel=0&file_name=<name>&offset=<bytes>:
 * a file of the recordings folder, byte for byte from offset to its end, as
 * fast as the link takes it (the app resumes a broken download with offset).
 * Then the stream ends ({NULL, (size_t)-1}).
 */
#ifndef CAM_DOWNLOAD_H
#define CAM_DOWNLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

typedef struct {
    unsigned id;
    int fd;
    uint64_t pos, size;
    uint64_t bytes;
} download_stream;

/* Opens name (checked with rec_name_ok, no symbolic link, a regular file) in
 * dir at offset (<= its size). Returns 0, or -1 with the reason in err. */
int download_open(download_stream *ds, unsigned id, const char *dir, const char *name, uint64_t offset, char *err,
                  size_t errlen);

/* Appends up to max bytes. Returns 0, 1 once the end of the file was
 * appended, -1 on a read error. */
int download_fill(download_stream *ds, bytebuf *out, size_t max);

void download_close(download_stream *ds);

#endif
