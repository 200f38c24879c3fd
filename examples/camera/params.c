#include "params.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Finds "key=" at the start of a key=value pair; returns the value and its length. */
static const char *find_value(const char *params, const char *key, size_t *len)
{
    size_t klen = strlen(key);
    const char *p = params;

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '&');
        size_t pair = end ? (size_t)(end - p) : strlen(p);
        if (pair > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            *len = pair - klen - 1;
            return p + klen + 1;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

int params_get(const char *params, const char *key, char *out, size_t outlen)
{
    size_t len;
    const char *v = find_value(params, key, &len);

    if (v == NULL)
        return 0;
    if (len + 1 > outlen)
        return -1;
    memcpy(out, v, len);
    out[len] = '\0';
    return 1;
}

int params_get_u64(const char *params, const char *key, uint64_t dflt, uint64_t min, uint64_t max,
                   uint64_t *out)
{
    char buf[32], *end;
    unsigned long long v;
    int r = params_get(params, key, buf, sizeof buf);

    *out = dflt;
    if (r <= 0)
        return r;
    if (buf[0] < '0' || buf[0] > '9')  /* strtoull would accept " 1", "+1" and "-1" */
        return -1;
    errno = 0;
    v = strtoull(buf, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 1;
}
