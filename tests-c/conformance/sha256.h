/*
 * sha256 - SHA-256 (FIPS 180-4) for the conformance tests: the firmware
 * computes the digest of the bytes it served and compares it with the one
 * the app CLI prints, without writing every stream to a file.
 */
#ifndef IVP2P_CONF_SHA256_H
#define IVP2P_CONF_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL. */
void sha256_final_hex(sha256_ctx *c, char hex[65]);

#endif
