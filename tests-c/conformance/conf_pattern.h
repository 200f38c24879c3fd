/*
 * conf_pattern - the known content of the conformance firmware's streams,
 * and the key=value params the app sends to ask for it.
 */
#ifndef IVP2P_CONF_PATTERN_H
#define IVP2P_CONF_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* Bytes [offset, offset + len) of the stream with this seed. Byte i depends on
 * the seed and on i (a 32-bit mix per 4-byte word), so a lost, repeated,
 * reordered or foreign chunk changes the bytes at its offset. */
void pattern_fill(uint32_t seed, uint64_t offset, uint8_t *buf, size_t len);

/* The same bytes mapped to visible ASCII (0x21..0x7e): what the app CLI prints as text=. */
void pattern_fill_text(uint32_t seed, uint8_t *buf, size_t len);

/* SHA-256 of the first len bytes of the stream with this seed. */
void pattern_sha256_hex(uint32_t seed, uint64_t len, char hex[65]);

/* Offset of the first byte of buf[0, len) that differs from the stream at
 * offset, or -1 when all match. */
long long pattern_mismatch(uint32_t seed, uint64_t offset, const uint8_t *buf, size_t len);

/* The value of key in "k=v&k=v" params, copied into out; 1 if present, else 0. */
int params_str(const char *params, const char *key, char *out, size_t size);

/* The value of key as an unsigned number, or dflt when absent or not a number. */
unsigned long long params_ull(const char *params, const char *key, unsigned long long dflt);

#endif
