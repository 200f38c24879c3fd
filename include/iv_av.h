/*
 * iv_av.h - the raw P2P interface of the IoT Video device SDK (revision C),
 * as implemented by ivp2p's libiv_p2p.
 *
 * Written for ivp2p. Every type, member, enumerator and prototype has the name,
 * value and layout of the vendor's revision C header, so firmware written
 * against that header compiles against this one and links against libiv_p2p
 * without changes. The comments describe what libiv_p2p does; where the vendor
 * documentation is silent, the choice ivp2p made is stated here.
 *
 * Checks come in one order everywhere: NULL pointer arguments
 * (IV_ERR_AVT_INPUT_PARAM_NULL), then state (IV_ERR_AVT_STATE_ERROR before
 * init), then argument values.
 *
 * Threads: every function may be called from any thread. Callbacks run on
 * ivp2p's own threads (never on the thread that called iv_avt_p2p_init), so
 * they must be thread-safe with respect to the firmware's own code. The one
 * exception is iv_avt_p2p_exit: the final send_stop_cb, buf_free_fn and
 * recv_voice_cb(NULL, 0) of streams and talks still open run on the thread
 * that called exit, before it returns (so do not hold a lock in exit's
 * caller that those callbacks take). No callback runs after
 * iv_avt_p2p_exit has returned.
 */
#ifndef IV_AV_H
#define IV_AV_H

#include <stddef.h>
#include <stdint.h>

#include "iv_cm.h"
#include "iv_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Events passed to p2p_handle_event_notify_cb. All arrive on ivp2p's pump
 * thread, in order; none after iv_avt_p2p_exit has begun.
 */
typedef enum {
    /* Not fired in LAN mode: they report the rendezvous server. */
    IV_AVT_EVENT_P2P_PEER_READY = 0,
    IV_AVT_EVENT_P2P_PEER_CONNECT_FAIL = 1,
    /* An app's session died (keep-alive timeout, protocol error, aborted);
     * LINK_DISCONNECT follows. Its streams got send_stop_cb, its talk (NULL, 0). */
    IV_AVT_EVENT_P2P_PEER_ERROR = 2,
    /* An app's address changed (NAT rebinding, roaming); its session goes on. */
    IV_AVT_EVENT_P2P_PEER_ADDR_CHANGED = 3,
    /* Per stream (handle = the stream's handle), on its un-acknowledged bytes:
     * WARN once on rising above warn_mark; HIGH once on rising above high_mark,
     * and send_get_cb is not polled for the stream until LOW; LOW once on
     * falling below low_mark (or to 0), after a WARN or HIGH. */
    IV_AVT_EVENT_P2P_WATERMARK_LOW = 4,
    IV_AVT_EVENT_P2P_WATERMARK_WARN = 5,
    IV_AVT_EVENT_P2P_WATERMARK_HIGH = 6,
    /* Once after init, when LAN mode is on and its ports are listening. */
    IV_AVT_EVENT_P2P_LOCAL_NET_READY = 7,
    /* Once per app session that ends (after CLI_SEND_CLOSE or PEER_ERROR). */
    IV_AVT_EVENT_P2P_LINK_DISCONNECT = 8,
    /* An app closed its session itself; LINK_DISCONNECT follows. */
    IV_AVT_EVENT_P2P_CLI_SEND_CLOSE = 9,
    IV_AVT_EVENT_P2P_BUTT
} iv_avt_event_e;

/* p2p_init_params_s.log_level */
typedef enum {
    IV_AVT_P2P_LOG_DISABLE = 0,
    IV_AVT_P2P_LOG_ERROR = 1,
    IV_AVT_P2P_LOG_WARN = 2,
    IV_AVT_P2P_LOG_INFO = 3,
    IV_AVT_P2P_LOG_DEBUG = 4,
    IV_AVT_P2P_LOG_VERBOSE = 5
} iv_avt_p2p_log_level_e;

/* p2p_init_params_s.nic_type */
typedef enum {
    IV_AVT_P2P_NIC_NORMAL = 0,
    IV_AVT_P2P_NIC_NAT_EX = 1
} iv_avt_p2p_nic_type_e;

/*
 * p2p_init_params_s.protocol. ivp2p carries sessions over UDP; TCP is
 * accepted (a warning is logged) and UDP is used. The value 2 (AUTO, added
 * by later vendor revisions) is accepted and means UDP.
 */
typedef enum {
    IV_AVT_P2P_UDP = 0,
    IV_AVT_P2P_TCP = 1
} iv_avt_p2p_tp_type_e;

/*
 * P2P keep-alive towards each connected app: a probe every time_inter_s
 * seconds (5-10 recommended), max_attempt_num unanswered probes (<= 10, 3
 * recommended) declare the app gone. Either value 0 turns keep-alive off.
 * 2 bytes, alignment 1. Later vendor revisions call this p2p_keep_alive_s.
 */
typedef struct {
    uint8_t time_inter_s;
    uint8_t max_attempt_num;
} avt_xp2p_ops_s;

/*
 * Engine parameters. A 0 in a numeric field selects the default.
 * Out-of-range values make iv_avt_p2p_init return IV_ERR_AVT_INIT_PRM_RANGE.
 */
typedef struct {
    iv_avt_p2p_log_level_e log_level; /* DISABLE..VERBOSE; other values: PRM_RANGE */
    const char *log_file_path;        /* NULL: stderr; else an existing writable directory,
                                         the log goes to <dir>/ivp2p.log (copied at init) */
    uint32_t log_file_size;           /* bytes per file, 0: 1 MiB; at most twice this on disk
                                         (ivp2p.log + ivp2p.log.1); minimum 4096 */
    uint32_t mtu_size;                /* 0: 1200, else 500..1460 */
    iv_avt_p2p_nic_type_e nic_type;   /* NORMAL or NAT_EX */
    uint32_t sender_interval_ms;      /* send_get_cb poll period, 0: 10, max 1000 */
    uint32_t keepalive_interval_s;    /* rendezvous keep-alive, 0: 10, max 3600 */
    uint32_t access_retry_times;      /* server connect retries, 0: 10, max 100 */
    iv_avt_p2p_tp_type_e protocol;    /* see iv_avt_p2p_tp_type_e */
} p2p_init_params_s;

/*
 * LAN mode. Both ports 0: LAN mode off. Ports are 0..65535. local_addr is a
 * NUL-terminated IPv4/IPv6 literal or empty (any address). vendor_id and
 * device_id are NULL or 1..64 characters of [A-Za-z0-9_]; they are copied at
 * init.
 */
typedef struct {
    int probe_port;
    int trans_port;
    char local_addr[64];
    char *vendor_id;
    char *device_id;
} local_net_info_s;

/*
 * Stream statistics returned by iv_avt_p2p_get_send_status.
 */
typedef struct {
    uint32_t inst_net_rate;   /* instantaneous send rate, bytes/s */
    uint32_t ave_sent_rate;   /* bytes sent and acknowledged during the last second */
    uint64_t sum_sent_acked;  /* total bytes acknowledged */
    uint32_t link_mode;       /* 0 none, 1 direct, 2 relay */
} iv_p2p_send_stats_s;

/*
 * Initialisation parameters. iv_avt_p2p_init copies everything it needs, so
 * the caller may free or reuse this struct (and the strings it points to)
 * as soon as init returns.
 *
 * Callbacks: send_init, send_get and send_stop are mandatory (a NULL one:
 * IV_ERR_AVT_INIT_CB_NULL). recv_init and recv_voice are optional but go
 * together: both set (talk accepted) or both NULL (talk refused); one without
 * the other is IV_ERR_AVT_INIT_CB_NULL. event_notify and command are
 * optional: without event_notify no events are delivered, without command
 * every app command is answered as "channel closed".
 *
 * peer strings passed to callbacks live in temporary memory: copy them to
 * keep them.
 */
typedef struct iv_p2p_parm_s {
    /* An app asked for a stream; params is "key=value&key=value"
     * (action=live|playback|download ...), at most 4095 bytes. Return the
     * stream handle, or NULL to refuse (the app is told "refused"). The handle
     * is an opaque key, never dereferenced; handles of open streams must
     * differ. peer names the app session ("<user id>#<n>", unique per session). */
    void *(*p2p_handle_send_init_cb)(const char *params, const char *peer);
    /* Polled every sender_interval_ms per open stream; within one period it
     * is polled again (up to 64 times) while it returns data and the stream
     * has room, so queued frames leave at once. {NULL, 0}: no data now.
     * buf == NULL and size == (size_t)-1: the stream ended, polling stops and
     * the app reads to the end. The app receives the buffers' bytes in order.
     * ivp2p calls buf_free_fn(buf, size) exactly once per returned buffer with
     * a buf_free_fn, as soon as the session has copied the bytes. */
    iv_cm_memory_s (*p2p_handle_send_get_cb)(void *handle);
    /* The stream is over; called exactly once per accepted stream: when the
     * app closes it, its session ends, iv_avt_p2p_exit runs, or (after the
     * firmware ended it) once the app has acknowledged every byte. During the
     * call get_send_buf/get_send_status still answer with the final figures;
     * after it the handle is unknown. The return value is ignored. */
    int (*p2p_handle_send_stop_cb)(void *handle);
    /* handle is the stream handle for the WATERMARK events, NULL otherwise. */
    void (*p2p_handle_event_notify_cb)(iv_avt_event_e event, void *handle);
    /* An app starts talking; return a receive handle (NULL refuses: the app
     * is told "refused"). */
    void *(*p2p_handle_recv_init_cb)(const char *params, const char *peer);
    /* One chunk of talk audio, in order, exactly as the app sent it (at most
     * 65536 bytes). (NULL, 0) marks the end, exactly once per talk: the app
     * ended it, its session ended, or iv_avt_p2p_exit ran. */
    void (*p2p_handle_recv_voice_cb)(void *handle, uint8_t *recv_buf, size_t recv_len);
    /* A synchronous request from an app. command holds cmd_len bytes and is
     * followed by a NUL that is not counted. The returned buffer is the reply
     * (writable memory, at most 262144 bytes; freed through buf_free_fn);
     * NULL buf or 0 size: the app is told the command channel is closed.
     * Commands of one app run one at a time; a slow command_cb delays that
     * app's next command, never media or other apps. */
    iv_cm_memory_s (*p2p_handle_command_cb)(const char *command, size_t cmd_len, const char *peer);
    avt_xp2p_ops_s p2p_keep_alive;
    p2p_init_params_s p2p_init_params;
    local_net_info_s net_info;
} iv_p2p_parm_s;

/*
 * Starts the engine (and, the first time in a process, the embedded JVM).
 * Returns IV_ERR_NONE, or:
 *   IV_ERR_AVT_INIT_PRM_NULL   pstInitParm is NULL
 *   IV_ERR_AVT_INIT_CB_NULL    a mandatory callback is NULL (see iv_p2p_parm_s)
 *   IV_ERR_AVT_INIT_PRM_RANGE  a parameter is out of range (the log says which)
 *   IV_ERR_AVT_STATE_ERROR     already initialised
 *   IV_ERR_AVT_INPUT_PARAM_INVAILD  a device.* setting in the ivp2p config
 *                              file or environment is wrong (unknown key,
 *                              access key under 16 bytes, not a number)
 *   IV_ERR_AVT_FAILED          the JVM or the engine jars could not be found
 *                              or started, the config file could not be read
 *                              or has an unknown key, or the session port
 *                              could not be bound (the log says why and what
 *                              to set)
 *   IV_ERR_SYS_MALLOC_FAIL     the engine ran out of memory (Java heap;
 *                              jvm.options -Xmx)
 */
int iv_avt_p2p_init(const iv_p2p_parm_s *pstInitParm);

/*
 * Stops the engine: open streams get send_stop_cb, outstanding buffers are
 * freed, and no callback runs after this returns (exit waits for running
 * ones). init may be called again. Returns IV_ERR_NONE, or
 * IV_ERR_AVT_STATE_ERROR when not initialised or when called from inside a
 * callback (call it from a thread of your own), or IV_ERR_AVT_FAILED when a
 * callback has not returned within 30 s (the engine is stopped all the same
 * and no new callback starts).
 */
int iv_avt_p2p_exit(void);

/*
 * Sets the global send-buffer watermarks in bytes, at any time after init.
 * Accepted when low <= warn <= high, or all three 0 (no events).
 * Returns IV_ERR_NONE, IV_ERR_AVT_STATE_ERROR when not initialised, or
 * IV_ERR_AVT_INPUT_PARAM_INVAILD for other orders.
 */
int iv_avt_p2p_set_buf_watermark(size_t low_mark, size_t warn_mark, size_t high_mark);

/*
 * Bytes taken from send_get_cb for this stream and not yet acknowledged by
 * the app. 0 for an unknown or NULL handle and before init.
 */
size_t iv_avt_p2p_get_send_buf(void *handle);

/*
 * Statistics of one stream; all zero for an unknown or NULL handle and
 * before init.
 */
iv_p2p_send_stats_s iv_avt_p2p_get_send_status(void *handle);

/*
 * Sends msg to the app session named peer (the peer string a callback
 * received) and waits for its reply. *recv_len is the capacity of recv_buf
 * on input and the reply length on output. timeout_ms == 0 means 7500 ms.
 * Returns IV_ERR_NONE, or:
 *   IV_ERR_AVT_INPUT_PARAM_NULL     a pointer argument is NULL
 *   IV_ERR_AVT_STATE_ERROR          not initialised
 *   IV_ERR_AVT_INPUT_PARAM_INVAILD  msg_len is 0, or peer is longer than 255 bytes
 *   IV_ERR_AVT_SEND_STREAM_TOO_BIG  msg_len above 65536 bytes
 *   IV_ERR_AVT_CHN_NOT_EXIT         no connected app session has this peer name
 *   IV_ERR_AVT_MALLOC_BUFFER_FAILED the reply is larger than *recv_len; *recv_len then
 *                                   holds the reply size (retry with a buffer that large)
 *   IV_ERR_AVT_SEND_DATA_TIMEOUT    no reply within the timeout
 *   IV_ERR_AVT_FAILED               the app has no command handler or declined
 *                                   to answer (the log says which)
 * IV_ERR_AVT_CHN_NOT_EXIT also when the app's session ends while waiting.
 */
int iv_avt_p2p_send_command(const char *peer, const char *msg, size_t msg_len,
                            unsigned char *recv_buf, size_t *recv_len, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* IV_AV_H */
