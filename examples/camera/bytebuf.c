#include "bytebuf.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *bytebuf_reserve(bytebuf *bb, size_t n)
{
    size_t cap;
    uint8_t *p;

    if (bb->failed)
        return NULL;
    if (bb->cap - bb->len >= n)
        return bb->data + bb->len;
    cap = bb->cap ? bb->cap : 4096;
    while (cap - bb->len < n) {
        if (cap > SIZE_MAX / 2) {
            bb->failed = 1;
            return NULL;
        }
        cap *= 2;
    }
    p = realloc(bb->data, cap);
    if (p == NULL) {
        bb->failed = 1;
        return NULL;
    }
    bb->data = p;
    bb->cap = cap;
    return bb->data + bb->len;
}

void bytebuf_append(bytebuf *bb, const void *p, size_t n)
{
    uint8_t *dst;

    if (n == 0) /* p may be NULL then, which memcpy does not allow */
        return;
    dst = bytebuf_reserve(bb, n);
    if (dst == NULL)
        return;
    memcpy(dst, p, n);
    bb->len += n;
}

void bytebuf_printf(bytebuf *bb, const char *fmt, ...)
{
    va_list ap;
    int n;
    uint8_t *dst;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        bb->failed = 1;
        return;
    }
    dst = bytebuf_reserve(bb, (size_t)n + 1); /* vsnprintf writes a NUL we do not count */
    if (dst == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)dst, (size_t)n + 1, fmt, ap);
    va_end(ap);
    bb->len += (size_t)n;
}

uint8_t *bytebuf_take(bytebuf *bb, size_t *len)
{
    uint8_t *p = bb->data;

    *len = bb->len;
    if (bb->failed || bb->len == 0) {
        free(bb->data);
        p = NULL;
        *len = 0;
    }
    bb->data = NULL;
    bb->len = bb->cap = 0;
    bb->failed = 0;
    return p;
}

void bytebuf_free(bytebuf *bb)
{
    free(bb->data);
    bb->data = NULL;
    bb->len = bb->cap = 0;
    bb->failed = 0;
}

static atomic_long sdk_outstanding;

iv_cm_memory_s bytebuf_to_sdk(bytebuf *bb)
{
    iv_cm_memory_s m = {NULL, 0, NULL};
    size_t len;
    uint8_t *p = bytebuf_take(bb, &len);

    if (p == NULL)
        return m;
    m.buf = p;
    m.size = len;
    m.buf_free_fn = bytebuf_sdk_free;
    atomic_fetch_add(&sdk_outstanding, 1);
    return m;
}

void bytebuf_sdk_free(uint8_t *buf, size_t size)
{
    (void)size;
    free(buf);
    atomic_fetch_sub(&sdk_outstanding, 1);
}

long bytebuf_sdk_outstanding(void)
{
    return atomic_load(&sdk_outstanding);
}
