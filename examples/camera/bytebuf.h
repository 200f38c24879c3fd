/*
 * bytebuf.h - a growable malloc'd byte buffer.
 *
 * Stream batches and command replies are built in one of these and handed to
 * the SDK as they are: bytebuf_take gives up the memory, and the SDK frees it
 * later through the buf_free_fn of the iv_cm_memory_s (bytebuf_to_sdk).
 * A failed allocation is sticky (bb->failed): callers build the whole
 * message and check once at the end.
 */
#ifndef CAM_BYTEBUF_H
#define CAM_BYTEBUF_H

#include <stddef.h>
#include <stdint.h>

#include "iv_cm.h"

typedef struct {
    uint8_t *data;
    size_t len, cap;
    int failed;
} bytebuf;

/* Room for n more bytes; returns a pointer to them (len is not changed), or NULL. */
uint8_t *bytebuf_reserve(bytebuf *bb, size_t n);
void bytebuf_append(bytebuf *bb, const void *p, size_t n);
void bytebuf_printf(bytebuf *bb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Gives the data to the caller (NULL if empty or failed) and resets bb. */
uint8_t *bytebuf_take(bytebuf *bb, size_t *len);
void bytebuf_free(bytebuf *bb);

/*
 * Hands the bytes to the SDK: {data, len, bytebuf_sdk_free}, or {NULL, 0,
 * NULL} if bb is empty or failed. The SDK calls bytebuf_sdk_free(buf, size)
 * exactly once per buffer, on one of its threads, when it has copied the
 * bytes; until then the memory is the SDK's (iv_cm.h).
 */
iv_cm_memory_s bytebuf_to_sdk(bytebuf *bb);
void bytebuf_sdk_free(uint8_t *buf, size_t size);
/* Buffers handed to the SDK and not freed yet. 0 after iv_avt_p2p_exit. */
long bytebuf_sdk_outstanding(void);

#endif
