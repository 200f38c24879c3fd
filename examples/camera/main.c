/*
 * main.c - the sample camera: flags, start-up, the main loop, shutdown.
 *
 * Order matters:
 *  1. flags and the access key are checked and the clips loaded before
 *     anything starts, so a mistake is one clear line and exit code 2;
 *  2. SIGINT/SIGTERM handlers are installed BEFORE iv_avt_p2p_init: init
 *     starts a JVM in this process, and a handler installed after it could
 *     replace one the JVM relies on (README, "Signals and threads");
 *  3. iv_avt_p2p_init, then the vendor's watermarks;
 *  4. the main thread sleeps, printing stats, until a signal;
 *  5. iv_avt_p2p_exit from this thread (never from a callback): the SDK
 *     stops every stream and talk, calling their final callbacks on this
 *     thread before it returns; then everything of ours is freed and checked.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bytebuf.h"
#include "cam_log.h"
#include "commands.h"
#include "congestion.h"
#include "iv_av.h"
#include "live.h"
#include "streams.h"
#include "talk.h"

#ifndef CAM_VERSION
#define CAM_VERSION "0.0.0"
#endif
#ifndef CAM_DEFAULT_MEDIA_DIR
#define CAM_DEFAULT_MEDIA_DIR "media"
#endif

/* The engine's minimum (README, "Configuration"): a shorter key is refused. */
#define ACCESS_KEY_MIN 16

typedef struct {
    char device_id[65];
    int probe_port, trans_port;
    char bind_addr[64];
    const char *media_dir, *recordings_dir, *talk_dir, *log_dir;
    unsigned max_streams, stats_interval_s, restore_ms;
    int log_level;
} cam_config;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ivp2p-camera [options]   (IVP2P_ACCESS_KEY must be set)\n"
            "  --device-id ID        device id, [A-Za-z0-9_]{1,64} (default sample_cam)\n"
            "  --probe-port N        LAN discovery port (default 23710, what apps probe)\n"
            "  --trans-port N        session port (default 23711; 0 = any free port)\n"
            "  --bind ADDR           local IP address to use (default: all)\n"
            "  --media DIR           folder with clip_high.flv and clip_low.flv (default %s)\n"
            "  --recordings DIR      recordings folder: rec_<unix start>.flv (default ./recordings)\n"
            "  --talk-dir DIR        where talk audio is written (default ./talk, created)\n"
            "  --max-streams N       open streams at most, 1..%d (default 8)\n"
            "  --stats-interval S    seconds between stats lines, 0 = none (default 5)\n"
            "  --restore-ms MS       congestion: hold time before a stream climbs a quality level (default 3000)\n"
            "  --log-level N         SDK log level 0 off .. 5 verbose (default 2 warnings)\n"
            "  --log-dir DIR         SDK log to DIR/ivp2p.log instead of stderr\n",
            CAM_DEFAULT_MEDIA_DIR, STREAMS_MAX);
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int id_ok(const char *id)
{
    size_t n = strlen(id), i;

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9') ||
              id[i] == '_'))
            return 0;
    return 1;
}

/* Returns 0, 1 for --help, -1 for a bad flag (after a message). */
static int parse_flags(int argc, char **argv, cam_config *c)
{
    static const struct option opts[] = {
        {"device-id", required_argument, 0, 'd'},   {"probe-port", required_argument, 0, 'p'},
        {"trans-port", required_argument, 0, 't'},  {"bind", required_argument, 0, 'b'},
        {"media", required_argument, 0, 'm'},       {"recordings", required_argument, 0, 'r'},
        {"talk-dir", required_argument, 0, 'k'},    {"max-streams", required_argument, 0, 'n'},
        {"stats-interval", required_argument, 0, 's'}, {"restore-ms", required_argument, 0, 'R'},
        {"log-level", required_argument, 0, 'l'},   {"log-dir", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};
    unsigned long v;
    int o;

    memset(c, 0, sizeof *c);
    snprintf(c->device_id, sizeof c->device_id, "sample_cam");
    c->probe_port = 23710;
    c->trans_port = 23711;
    c->media_dir = CAM_DEFAULT_MEDIA_DIR;
    c->recordings_dir = "recordings";
    c->talk_dir = "talk";
    c->max_streams = 8;
    c->stats_interval_s = 5;
    c->restore_ms = 3000;
    c->log_level = IV_AVT_P2P_LOG_WARN;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        const char *bad = NULL;
        switch (o) {
        case 'd':
            if (!id_ok(optarg))
                bad = "--device-id must be 1..64 characters of [A-Za-z0-9_]";
            snprintf(c->device_id, sizeof c->device_id, "%s", optarg);
            break;
        case 'p':
        case 't':
            if (parse_uint(optarg, 65535, &v) != 0)
                bad = "ports are 0..65535";
            else if (o == 'p')
                c->probe_port = (int)v;
            else
                c->trans_port = (int)v;
            break;
        case 'b':
            if (strlen(optarg) >= sizeof c->bind_addr)
                bad = "--bind: not an IP address";
            else
                memcpy(c->bind_addr, optarg, strlen(optarg) + 1); /* fits: checked above */
            break;
        case 'm': c->media_dir = optarg; break;
        case 'r': c->recordings_dir = optarg; break;
        case 'k': c->talk_dir = optarg; break;
        case 'L': c->log_dir = optarg; break;
        case 'n':
            if (parse_uint(optarg, STREAMS_MAX, &v) != 0 || v == 0)
                bad = "--max-streams is 1..16";
            c->max_streams = (unsigned)v;
            break;
        case 's':
            if (parse_uint(optarg, 3600, &v) != 0)
                bad = "--stats-interval is 0..3600 seconds";
            c->stats_interval_s = (unsigned)v;
            break;
        case 'R':
            if (parse_uint(optarg, 600000, &v) != 0)
                bad = "--restore-ms is 0..600000";
            c->restore_ms = (unsigned)v;
            break;
        case 'l':
            if (parse_uint(optarg, 5, &v) != 0)
                bad = "--log-level is 0..5";
            c->log_level = (int)v;
            break;
        case 'h':
            usage(stdout);
            return 1;
        default:
            usage(stderr);
            return -1;
        }
        if (bad != NULL) {
            fprintf(stderr, "ivp2p-camera: %s\n", bad);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "ivp2p-camera: unexpected argument %s\n", argv[optind]);
        return -1;
    }
    if (c->probe_port == 0 && c->trans_port == 0) {
        fprintf(stderr, "ivp2p-camera: both ports 0 would turn LAN mode off; apps could not find the camera\n");
        return -1;
    }
    return 0;
}

/* The engine reads the key from IVP2P_ACCESS_KEY itself (or its config file);
 * the camera only checks it is there, because without it the engine starts
 * but refuses every app, which looks like a network problem. */
/* The engine reads the key (IVP2P_ACCESS_KEY, else device.access_key in the config file: README,
 * "Configuration"); without one it starts but refuses every app, which looks like a network
 * problem. So the camera refuses to start when no key can be there. A key in a config file is left
 * to the engine, which fails init for a short one. */
static int check_access_key(void)
{
    const char *key = getenv("IVP2P_ACCESS_KEY");
    const char *config = getenv("IVP2P_CONFIG");

    if ((key == NULL || *key == '\0') && config != NULL && *config != '\0') {
        cam_log("access key: from the config file %s (device.access_key), read by the SDK", config);
        return 0;
    }
    if ((key == NULL || *key == '\0') && access("/etc/ivp2p/ivp2p.conf", R_OK) == 0) {
        cam_log("access key: from /etc/ivp2p/ivp2p.conf (device.access_key), read by the SDK");
        return 0;
    }
    if (key == NULL || *key == '\0') {
        fprintf(stderr, "ivp2p-camera: no access key: IVP2P_ACCESS_KEY is not set, nor IVP2P_CONFIG. Apps authenticate\n"
                        "  with this key: set it (or device.access_key in the config file) to\n"
                        "  the same secret (at least %d characters) on the camera and in the app, e.g.\n"
                        "  export IVP2P_ACCESS_KEY=$(head -c 24 /dev/urandom | base64)\n",
                ACCESS_KEY_MIN);
        return -1;
    }
    if (strlen(key) < ACCESS_KEY_MIN) {
        fprintf(stderr, "ivp2p-camera: IVP2P_ACCESS_KEY is shorter than %d characters; the engine would refuse it\n",
                ACCESS_KEY_MIN);
        return -1;
    }
    return 0;
}

static int install_signal_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: the main loop's sleep returns at once. */
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    return 0;
}

static void on_event(iv_avt_event_e ev, void *handle)
{
    switch (ev) {
    case IV_AVT_EVENT_P2P_WATERMARK_LOW:
    case IV_AVT_EVENT_P2P_WATERMARK_WARN:
    case IV_AVT_EVENT_P2P_WATERMARK_HIGH:
        streams_on_watermark(handle, ev);
        break;
    case IV_AVT_EVENT_P2P_LOCAL_NET_READY:
        cam_log("event LOCAL_NET_READY: apps on the LAN can connect");
        break;
    default:
        cam_log("event %s", cong_event_name(ev));
        break;
    }
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "ivp2p-camera: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int start_sdk(const cam_config *c)
{
    iv_p2p_parm_s p;
    int rc;

    memset(&p, 0, sizeof p);
    p.p2p_handle_send_init_cb = streams_on_send_init;
    p.p2p_handle_send_get_cb = streams_on_send_get;
    p.p2p_handle_send_stop_cb = streams_on_send_stop;
    p.p2p_handle_event_notify_cb = on_event;
    p.p2p_handle_recv_init_cb = talk_on_recv_init;
    p.p2p_handle_recv_voice_cb = talk_on_recv_voice;
    p.p2p_handle_command_cb = commands_on_command;
    /* The vendor sample's keep-alive: a probe every 10 s, 3 missed = gone. */
    p.p2p_keep_alive.time_inter_s = 10;
    p.p2p_keep_alive.max_attempt_num = 3;
    p.p2p_init_params.log_level = (iv_avt_p2p_log_level_e)c->log_level;
    p.p2p_init_params.log_file_path = c->log_dir; /* NULL: stderr */
    p.p2p_init_params.log_file_size = 1024 * 1024;
    p.p2p_init_params.sender_interval_ms = 10; /* the vendor's poll period */
    p.net_info.probe_port = c->probe_port;
    p.net_info.trans_port = c->trans_port;
    snprintf(p.net_info.local_addr, sizeof p.net_info.local_addr, "%s", c->bind_addr);
    p.net_info.device_id = (char *)c->device_id; /* copied by init */

    rc = iv_avt_p2p_init(&p);
    if (rc != IV_ERR_NONE) {
        fprintf(stderr, "ivp2p-camera: iv_avt_p2p_init failed: %d (the SDK's log above says why)\n", rc);
        return -1;
    }
    rc = cong_set_watermarks();
    if (rc != IV_ERR_NONE) {
        fprintf(stderr, "ivp2p-camera: iv_avt_p2p_set_buf_watermark failed: %d\n", rc);
        iv_avt_p2p_exit();
        return -1;
    }
    return 0;
}

static void run_until_signal(const cam_config *c)
{
    uint64_t next_stats = cam_now_ms() + c->stats_interval_s * 1000u;

    while (!stop_signal) {
        struct timespec pause = {0, 200 * 1000000L};
        nanosleep(&pause, NULL);
        if (c->stats_interval_s && cam_now_ms() >= next_stats) {
            cong_print_stats();
            next_stats += c->stats_interval_s * 1000u;
        }
    }
}

int main(int argc, char **argv)
{
    cam_config c;
    live_media media;
    streams_config sc;
    commands_config cc;
    char err[512];
    int rc, left_streams, left_talks;
    long left_buffers;

    setvbuf(stdout, NULL, _IOLBF, 0);
    rc = parse_flags(argc, argv, &c);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (check_access_key() != 0)
        return 2;
    if (live_media_load(&media, c.media_dir, err, sizeof err) != 0) {
        fprintf(stderr, "ivp2p-camera: cannot load the live clips: %s\n"
                        "  (--media DIR: a folder with clip_high.flv and clip_low.flv, see scripts/make-sample-clip.sh)\n",
                err);
        return 2;
    }
    if (make_dir(c.talk_dir) != 0) {
        live_media_free(&media);
        return 2;
    }
    if (access(c.recordings_dir, R_OK | X_OK) != 0)
        cam_log("recordings folder %s cannot be read (%s): playback and download will be refused",
                c.recordings_dir, strerror(errno));

    sc.media = &media;
    sc.recordings_dir = c.recordings_dir;
    sc.restore_ms = c.restore_ms;
    sc.max_streams = c.max_streams;
    streams_setup(&sc);
    cc.device_id = c.device_id;
    cc.firmware = "ivp2p-sample-camera " CAM_VERSION;
    cc.recordings_dir = c.recordings_dir;
    cc.boot_ms = media.boot_ms;
    commands_setup(&cc);
    talk_setup(c.talk_dir);

    if (install_signal_handlers() != 0) {
        perror("ivp2p-camera: sigaction");
        live_media_free(&media);
        return 2;
    }
    if (start_sdk(&c) != 0) {
        live_media_free(&media);
        return 1;
    }
    cam_log("ready: device_id=%s probe_port=%d trans_port=%d, live clips loop every %u ms (high %llu B, low %llu B), "
            "watermarks %d/%d/%d KB",
            c.device_id, c.probe_port, c.trans_port, (unsigned)media.high.loop_ms,
            (unsigned long long)media.high.file_size, (unsigned long long)media.low.file_size, CONG_LOW_MARK / 1024,
            CONG_WARN_MARK / 1024, CONG_HIGH_MARK / 1024);

    run_until_signal(&c);

    cam_log("signal %d: stopping", (int)stop_signal);
    rc = iv_avt_p2p_exit();
    if (rc != IV_ERR_NONE)
        cam_log("iv_avt_p2p_exit returned %d", rc);
    left_streams = streams_teardown();
    left_talks = talk_teardown();
    left_buffers = bytebuf_sdk_outstanding();
    live_media_free(&media);
    cam_log("stopped: %d streams, %d talks, %ld buffers left over", left_streams, left_talks, left_buffers);
    return rc == IV_ERR_NONE && left_streams == 0 && left_talks == 0 && left_buffers == 0 ? 0 : 1;
}
