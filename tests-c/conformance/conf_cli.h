/*
 * conf_cli - runs the app CLI (io.ivp2p.app.cli.Main of java/app) in a child
 * process, as a phone app would connect to the camera, and reads what it
 * prints. Its stdout lines are kept for the scenario (and echoed to stdout
 * as "[app N] ..."), its stderr is echoed as "[app N!] ...", so ctest logs
 * show both. Every wait is bounded; a child that outlives its bound is
 * killed by its pid.
 */
#ifndef IVP2P_CONF_CLI_H
#define IVP2P_CONF_CLI_H

#include <limits.h>
#include <stddef.h>

/* What every CLI run of a scenario shares. */
typedef struct {
    char java[PATH_MAX];   /* java launcher; "java" = found on PATH */
    char jars[PATH_MAX];   /* directory of the app jars (ivp2p-app-jars) */
    char device_id[65];
    char key[128];
    char probe[64];        /* the device's probe address, "127.0.0.1:<probe_port>" */
    char log_level[16];
} cli_env;

typedef struct conf_cli conf_cli;

/* From the environment: IVP2P_APP_JARS (required), IVP2P_APP_JAVA (default:
 * java on PATH). Returns 0, or -1 after saying what is missing. */
int cli_env_setup(cli_env *e, const char *device_id, const char *key, int probe_port);

/* Starts the CLI: common options (uid, device, key, probe, log level), then
 * args (the sub-command and its options, NULL-terminated). NULL on failure. */
conf_cli *cli_start(const cli_env *e, const char *uid, const char *const args[]);

/* Waits for a stdout line starting with prefix that has not been returned by
 * an earlier cli_wait_line, copies it to out. 0, or -1 when the CLI ended or
 * timeout_ms passed first. */
int cli_wait_line(conf_cli *c, const char *prefix, int timeout_ms, char *out, size_t size);

/* Waits for the CLI to exit and returns its exit status; after timeout_ms it
 * is killed (SIGKILL, by pid) and -1 is returned; -2 when a signal ended it. */
int cli_wait_exit(conf_cli *c, int timeout_ms);

/* The number of stdout lines starting with prefix, and the nth of them (0 or -1). */
int cli_line_count(conf_cli *c, const char *prefix);
int cli_line(conf_cli *c, const char *prefix, int nth, char *out, size_t size);

/* Kills the CLI if it still runs, and frees everything. */
void cli_free(conf_cli *c);

/* Runs the CLI to its end (at most timeout_ms) and returns it for its lines;
 * *status gets cli_wait_exit's result. */
conf_cli *cli_run(const cli_env *e, const char *uid, const char *const args[], int timeout_ms, int *status);

/* Fields of a line "kind key=value key=value ...": the value of key (up to
 * the next space) into out; 1 if present, else 0. kv_ll: as a number, or dflt. */
int kv_str(const char *line, const char *key, char *out, size_t size);
long long kv_ll(const char *line, const char *key, long long dflt);

#endif
