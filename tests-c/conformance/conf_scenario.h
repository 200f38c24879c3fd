/*
 * conf_scenario - what the conformance scenarios share. Each scenario runs in
 * its own process (one ctest test each): it starts the firmware (fw_start),
 * drives it with app CLIs, checks with the EXPECT macros of its own file and
 * returns its failure count. conf_main.c then exits the engine if the
 * scenario left it running and checks what holds for every scenario.
 */
#ifndef IVP2P_CONF_SCENARIO_H
#define IVP2P_CONF_SCENARIO_H

#include "conf_cli.h"
#include "conf_fw.h"

#define CONF_DEVICE_ID "conf_cam"
/* The device's access key (IVP2P_ACCESS_KEY): the apps' DTLS PSK, >= 16 bytes. */
#define CONF_ACCESS_KEY "conformance-key-0123456789"

/* Bounds of the waits: generous, they only end tests that hang. */
#define CONF_CLI_MS 60000   /* one CLI run */
#define CONF_WAIT_MS 20000  /* a callback the engine owes us */

typedef struct {
    int probe_port, trans_port;
    cli_env cli;
} conf_env;

/* fw_init on env's ports (on other ones if a port was taken before the process's first init;
 * env then has them); waits for LOCAL_NET_READY. 0, or -1 after saying why. */
int conf_start(conf_env *env);

/* A peer string is "<uid>#<n>", n >= 1 (docs/protocol.md, "Identity and keys"). */
int conf_peer_of(const char *peer, const char *uid);

/* The watermark events of this stream came in an order iv_av.h allows:
 * WARN, then HIGH or LOW; HIGH, then LOW; LOW, then WARN. Under fw_lock(). */
int conf_watermark_order_ok(void *handle);

/* Writes the first len bytes of the pattern with this seed to path. 0 or -1. */
int conf_write_pattern_file(const char *path, uint32_t seed, size_t len);

/* Bytes of a whole file (malloc'd, *len set), or NULL. */
unsigned char *conf_read_file(const char *path, size_t *len);

int scenario_stream(conf_env *env);
int scenario_watermark(conf_env *env);
int scenario_stats(conf_env *env);
int scenario_commands(conf_env *env);
int scenario_send_command(conf_env *env);
int scenario_talk(conf_env *env);
int scenario_exit_streams(conf_env *env);
int scenario_reinit(conf_env *env);
int scenario_scale(conf_env *env);

#endif
