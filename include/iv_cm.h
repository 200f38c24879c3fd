/*
 * iv_cm.h - common types of the IoT Video device SDK, as used by the raw P2P
 * interface (iv_av.h). Written for ivp2p; layout-compatible with the vendor's
 * revision C header so that firmware compiled against either links against
 * libiv_p2p unchanged.
 */
#ifndef IV_CM_H
#define IV_CM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A block of memory handed across the API together with the function that
 * releases it.
 *
 * Ownership: when a callback returns one of these (p2p_handle_send_get_cb,
 * p2p_handle_command_cb), ivp2p owns the block until it calls
 * buf_free_fn(buf, size), which it does exactly once per block, from an
 * ivp2p thread, once it no longer needs the bytes. A NULL buf_free_fn means
 * "never free" (static or pooled memory that the firmware manages).
 *
 * Layout: LP64 24 bytes (buf 0, size 8, buf_free_fn 16); ILP32 12 bytes.
 */
typedef struct iv_cm_memory_s {
    uint8_t *buf;
    size_t size;
    void (*buf_free_fn)(uint8_t *buf, size_t size);
} iv_cm_memory_s;

#ifdef __cplusplus
}
#endif

#endif /* IV_CM_H */
