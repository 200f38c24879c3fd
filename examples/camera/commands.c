#include "commands.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cam_log.h"
#include "iv_av.h"
#include "json.h"
#include "recordings.h"
#include "streams.h"
#include "talk.h"

/* list_recordings answers at most this many (the reply must stay under the
 * SDK's 256 KiB; an app pages through a long list by time instead). */
#define COMMANDS_MAX_RECORDINGS 500

static commands_config cfg;

/* The simulated pan/tilt head. */
static pthread_mutex_t ptz_lock = PTHREAD_MUTEX_INITIALIZER;
static int pan, tilt;

void commands_setup(const commands_config *c)
{
    cfg = *c;
}

static void error_reply(bytebuf *out, const char *error)
{
    bytebuf_printf(out, "{\"ok\":false,\"error\":");
    json_str(out, error);
    bytebuf_printf(out, "}");
}

static const char *link_mode_name(uint32_t mode)
{
    return mode == 1 ? "direct" : mode == 2 ? "relay" : "none";
}

static void get_info(bytebuf *out)
{
    stream_info info[STREAMS_MAX];
    size_t n = streams_snapshot(info, STREAMS_MAX), i;
    int p, t;

    pthread_mutex_lock(&ptz_lock);
    p = pan;
    t = tilt;
    pthread_mutex_unlock(&ptz_lock);
    bytebuf_printf(out, "{\"ok\":true,\"device_id\":");
    json_str(out, cfg.device_id);
    bytebuf_printf(out, ",\"firmware\":");
    json_str(out, cfg.firmware);
    bytebuf_printf(out, ",\"uptime_s\":%llu,\"open_streams\":%zu,\"talks\":%d,\"ptz\":{\"pan\":%d,\"tilt\":%d},\"streams\":[",
                   (unsigned long long)((cam_now_ms() - cfg.boot_ms) / 1000), n, talk_count(), p, t);
    for (i = 0; i < n; i++) {
        /* The SDK's figures, asked outside our locks (streams_snapshot released them). */
        size_t buffered = iv_avt_p2p_get_send_buf(info[i].handle);
        iv_p2p_send_stats_s st = iv_avt_p2p_get_send_status(info[i].handle);
        bytebuf_printf(out, "%s{\"id\":%u,\"action\":", i ? "," : "", info[i].id);
        json_str(out, info[i].action);
        bytebuf_printf(out, ",\"peer\":");
        json_str(out, info[i].peer);
        if (info[i].quality[0]) {
            bytebuf_printf(out, ",\"quality\":");
            json_str(out, info[i].quality);
            bytebuf_printf(out, ",\"level\":");
            json_str(out, info[i].level);
        }
        bytebuf_printf(out,
                       ",\"bytes\":%llu,\"frames\":%llu,\"dropped\":%llu,\"send_buf\":%zu,\"inst_net_rate\":%u,"
                       "\"ave_sent_rate\":%u,\"sum_sent_acked\":%llu,\"link_mode\":\"%s\"}",
                       (unsigned long long)info[i].bytes, (unsigned long long)info[i].frames,
                       (unsigned long long)info[i].dropped, buffered, st.inst_net_rate, st.ave_sent_rate,
                       (unsigned long long)st.sum_sent_acked, link_mode_name(st.link_mode));
    }
    bytebuf_printf(out, "]}");
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Moves the head; returns -1 for an unknown direction. */
static int ptz_move(const char *dir, int step, int *p, int *t)
{
    int dp = 0, dt = 0, home = 0;

    if (strcmp(dir, "left") == 0)
        dp = -step;
    else if (strcmp(dir, "right") == 0)
        dp = step;
    else if (strcmp(dir, "up") == 0)
        dt = step;
    else if (strcmp(dir, "down") == 0)
        dt = -step;
    else if (strcmp(dir, "home") == 0)
        home = 1;
    else
        return -1;
    pthread_mutex_lock(&ptz_lock);
    pan = home ? 0 : clamp(pan + dp, -180, 180); /* the head's end stops */
    tilt = home ? 0 : clamp(tilt + dt, -45, 45);
    *p = pan;
    *t = tilt;
    pthread_mutex_unlock(&ptz_lock);
    return 0;
}

static void ptz(const char *text, size_t len, bytebuf *out)
{
    char dir[16];
    long long step = 10;
    int p, t;

    if (json_get_string(text, len, "dir", dir, sizeof dir) != 1) {
        error_reply(out, "ptz needs \"dir\": left, right, up, down or home");
        return;
    }
    json_get_int(text, len, "step", &step); /* absent: 10 */
    if (step < 1 || step > 90) {
        error_reply(out, "step must be 1..90 degrees");
        return;
    }
    if (ptz_move(dir, (int)step, &p, &t) != 0) {
        error_reply(out, "dir must be left, right, up, down or home");
        return;
    }
    bytebuf_printf(out, "{\"ok\":true,\"pan\":%d,\"tilt\":%d}", p, t);
}

static void request_key_frame(const char *text, size_t len, const char *peer, bytebuf *out)
{
    long long id = 0;
    int n;

    if (json_get_int(text, len, "stream", &id) && (id < 1 || id > 0x7fffffff)) {
        error_reply(out, "stream must be a stream id from get_info");
        return;
    }
    n = streams_request_key_frame(peer, (unsigned)id);
    if (n == 0)
        error_reply(out, id ? "no such live stream" : "no live stream of this app");
    else
        bytebuf_printf(out, "{\"ok\":true,\"streams\":%d}", n);
}

static void list_recordings(bytebuf *out)
{
    rec_entry *list;
    long n = rec_list(cfg.recordings_dir, &list), i;

    if (n < 0) {
        error_reply(out, "the recordings folder cannot be read");
        return;
    }
    bytebuf_printf(out, "{\"ok\":true,\"recordings\":[");
    for (i = 0; i < n && i < COMMANDS_MAX_RECORDINGS; i++) {
        bytebuf_printf(out, "%s{\"file_name\":", i ? "," : "");
        json_str(out, list[i].name);
        bytebuf_printf(out, ",\"start_time\":%lld,\"end_time\":%lld,\"duration_ms\":%u,\"size\":%llu}",
                       (long long)list[i].start, (long long)(list[i].start + (list[i].duration_ms + 999) / 1000),
                       (unsigned)list[i].duration_ms, (unsigned long long)list[i].size);
    }
    bytebuf_printf(out, "]}");
    free(list);
}

void commands_handle(const char *text, size_t len, const char *peer, bytebuf *out)
{
    char cmd[32];
    int r = json_get_string(text, len, "cmd", cmd, sizeof cmd);

    if (r != 1)
        error_reply(out, "expected a JSON object with \"cmd\"");
    else if (strcmp(cmd, "get_info") == 0)
        get_info(out);
    else if (strcmp(cmd, "ptz") == 0)
        ptz(text, len, out);
    else if (strcmp(cmd, "request_key_frame") == 0)
        request_key_frame(text, len, peer, out);
    else if (strcmp(cmd, "list_recordings") == 0)
        list_recordings(out);
    else
        error_reply(out, "unknown cmd (get_info, ptz, request_key_frame, list_recordings)");
}

iv_cm_memory_s commands_on_command(const char *command, size_t cmd_len, const char *peer)
{
    bytebuf out = {0};
    iv_cm_memory_s reply;

    commands_handle(command, cmd_len, peer, &out);
    /* The vendor requires writable memory: the SDK may modify the reply in place. */
    reply = bytebuf_to_sdk(&out);
    if (reply.buf == NULL)
        cam_log("command from %s: out of memory, no reply", peer);
    else
        cam_log("command from %s: %.*s -> %.*s", peer, (int)(cmd_len > 200 ? 200 : cmd_len), command,
                (int)(reply.size > 200 ? 200 : reply.size), (const char *)reply.buf);
    return reply;
}
