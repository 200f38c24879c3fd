/*
 * commands.h - p2p_handle_command_cb: the app's requests, JSON in, JSON out.
 *
 *   {"cmd":"get_info"}
 *       -> {"ok":true,"device_id":..,"firmware":..,"uptime_s":..,
 *           "open_streams":N,"talks":N,"ptz":{"pan":..,"tilt":..},
 *           "streams":[{"id":..,"action":..,"peer":..,"quality":..,"level":..,
 *                       "bytes":..,"frames":..,"dropped":..,"send_buf":..,
 *                       "inst_net_rate":..,"ave_sent_rate":..,
 *                       "sum_sent_acked":..,"link_mode":"direct"}, ...]}
 *   {"cmd":"ptz","dir":"left|right|up|down|home"[,"step":1..90]}
 *       -> {"ok":true,"pan":-10,"tilt":0}   (degrees; pan -180..180, tilt -45..45)
 *   {"cmd":"request_key_frame"[,"stream":id]}
 *       -> {"ok":true,"streams":N}          (the asking app's live streams, or
 *                                            the live stream id of get_info)
 *   {"cmd":"list_recordings"}
 *       -> {"ok":true,"recordings":[{"file_name":..,"start_time":..,
 *           "end_time":..,"duration_ms":..,"size":..}, ...]}
 *   anything else
 *       -> {"ok":false,"error":"..."}
 *
 * The vendor calls command_cb synchronously ("no long operations in it");
 * every command here answers from memory except list_recordings, which reads
 * the recordings' headers.
 */
#ifndef CAM_COMMANDS_H
#define CAM_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "iv_cm.h"

typedef struct {
    const char *device_id;
    const char *firmware;
    const char *recordings_dir;
    uint64_t boot_ms;
} commands_config;

void commands_setup(const commands_config *cfg);

iv_cm_memory_s commands_on_command(const char *command, size_t cmd_len, const char *peer);

/* The reply to text, into out (for the unit tests and the callback). */
void commands_handle(const char *text, size_t len, const char *peer, bytebuf *out);

#endif
