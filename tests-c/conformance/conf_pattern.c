#include "conf_pattern.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static uint32_t word(uint32_t seed, uint64_t index)
{
    /* A murmur3-style finaliser: every input bit changes about half the output bits. */
    uint32_t x = (uint32_t)index * 0x9e3779b1u ^ (uint32_t)(index >> 32) * 0x85ebca77u ^
                 seed * 0xc2b2ae3du;
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

void pattern_fill(uint32_t seed, uint64_t offset, uint8_t *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint64_t pos = offset + i;
        uint32_t w = word(seed, pos >> 2);
        unsigned b;
        for (b = (unsigned)(pos & 3); b < 4 && i < len; b++, i++)
            buf[i] = (uint8_t)(w >> (8 * b));
    }
}

void pattern_fill_text(uint32_t seed, uint8_t *buf, size_t len)
{
    size_t i;
    pattern_fill(seed, 0, buf, len);
    for (i = 0; i < len; i++)
        buf[i] = (uint8_t)(0x21 + buf[i] % 94);
}

void pattern_sha256_hex(uint32_t seed, uint64_t len, char hex[65])
{
    uint8_t chunk[8192];
    uint64_t done = 0;
    sha256_ctx c;

    sha256_init(&c);
    while (done < len) {
        size_t n = len - done < sizeof chunk ? (size_t)(len - done) : sizeof chunk;
        pattern_fill(seed, done, chunk, n);
        sha256_update(&c, chunk, n);
        done += n;
    }
    sha256_final_hex(&c, hex);
}

long long pattern_mismatch(uint32_t seed, uint64_t offset, const uint8_t *buf, size_t len)
{
    uint8_t chunk[8192];
    size_t done = 0, i;

    while (done < len) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        pattern_fill(seed, offset + done, chunk, n);
        if (memcmp(chunk, buf + done, n) != 0) {
            for (i = 0; chunk[i] == buf[done + i]; i++)
                ;
            return (long long)(done + i);
        }
        done += n;
    }
    return -1;
}

int params_str(const char *params, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    const char *p = params;

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t vlen = len - klen - 1;
            if (vlen >= size)
                vlen = size - 1;
            memcpy(out, p + klen + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

unsigned long long params_ull(const char *params, const char *key, unsigned long long dflt)
{
    char v[32], *end;
    unsigned long long n;

    if (!params_str(params, key, v, sizeof v) || v[0] == '\0')
        return dflt;
    n = strtoull(v, &end, 10);
    return *end == '\0' ? n : dflt;
}
