/*
 * params.h - the "key=value&key=value" strings of p2p_handle_send_init_cb and
 * p2p_handle_recv_init_cb ("action=live&channel=0&quality=high").
 *
 * Values are taken as they are (no %-decoding): the vendor's apps send plain
 * tokens, and a file name that needed decoding would be refused by the
 * download's name check anyway.
 */
#ifndef CAM_PARAMS_H
#define CAM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/* Copies the value of key into out (NUL-terminated). Returns 1 if the key is
 * present, 0 if not, -1 if its value does not fit in outlen. */
int params_get(const char *params, const char *key, char *out, size_t outlen);

/* The value of key as a decimal number in [min, max]. Returns 1 and sets *out
 * if present and valid, 0 if absent (*out = dflt), -1 if present but not a
 * number in range. */
int params_get_u64(const char *params, const char *key, uint64_t dflt, uint64_t min, uint64_t max,
                   uint64_t *out);

#endif
