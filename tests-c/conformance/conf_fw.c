#include "conf_fw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conf_pattern.h"

struct fw_state fw;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;
static pthread_t init_thread, exit_thread;
static int in_exit;

/* Buffers handed out with fw_free and not freed yet: which stream (-1 = a command reply). */
static struct {
    uint8_t *buf;
    size_t size;
    int stream;
} outstanding[FW_MAX_OUTSTANDING];

#define HANDLE_BASE 0x10000u
#define TALK_BASE 0x20000u

static void cond_setup(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&changed, &a);
    pthread_condattr_destroy(&a);
}

void fw_lock(void)
{
    pthread_mutex_lock(&lock);
}

void fw_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

/* Every callback starts with this, under the lock. */
static void callback_entered(void)
{
    fw.calls++;
    if (in_exit && pthread_equal(pthread_self(), exit_thread))
        fw.on_exit_thread++;
    else if (pthread_equal(pthread_self(), init_thread))
        fw.on_init_thread++;
    pthread_cond_broadcast(&changed);
}

int fw_wait(int (*pred)(void *arg), void *arg, int timeout_ms)
{
    struct timespec deadline;
    int ok;

    pthread_once(&cond_once, cond_setup);
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&lock);
    while (!(ok = pred(arg)))
        if (pthread_cond_timedwait(&changed, &lock, &deadline) == ETIMEDOUT) {
            ok = pred(arg);
            break;
        }
    pthread_mutex_unlock(&lock);
    return ok;
}

static fw_stream *stream_of(void *handle)
{
    uintptr_t h = (uintptr_t)handle;
    if (h >= HANDLE_BASE && h < HANDLE_BASE + FW_MAX_STREAMS && (int)(h - HANDLE_BASE) < fw.stream_count)
        return &fw.streams[h - HANDLE_BASE];
    fw.unknown_handles++;
    return NULL;
}

static fw_talk *talk_of(void *handle)
{
    uintptr_t h = (uintptr_t)handle;
    if (h >= TALK_BASE && h < TALK_BASE + FW_MAX_TALKS && (int)(h - TALK_BASE) < fw.talk_count)
        return &fw.talks[h - TALK_BASE];
    fw.unknown_handles++;
    return NULL;
}

fw_stream *fw_stream_at(int index)
{
    return index >= 0 && index < fw.stream_count ? &fw.streams[index] : NULL;
}

int fw_event_count(iv_avt_event_e event, void *handle)
{
    int i, n = 0, logged = fw.event_count < FW_MAX_EVENTS ? fw.event_count : FW_MAX_EVENTS;
    for (i = 0; i < logged; i++)
        if (fw.events[i].event == event && (handle == NULL || fw.events[i].handle == handle))
            n++;
    return n;
}

static void fw_free(uint8_t *buf, size_t size)
{
    int i, found = 0;

    pthread_mutex_lock(&lock);
    callback_entered();
    for (i = 0; i < fw.outstanding; i++) {
        if (outstanding[i].buf != buf)
            continue;
        if (outstanding[i].size != size) {
            fw.bad_frees++;
            break;
        }
        if (outstanding[i].stream >= 0) {
            fw_stream *s = &fw.streams[outstanding[i].stream];
            s->frees++;
            if (s->stops)
                s->after_stop++;
        }
        outstanding[i] = outstanding[--fw.outstanding];
        found = 1;
        break;
    }
    if (i == fw.outstanding && !found)
        fw.bad_frees++;
    pthread_mutex_unlock(&lock);
    if (found)
        free(buf);
}

/* Under the lock. A buffer with fw_free as its free fn, recorded as outstanding. */
static iv_cm_memory_s handed_out(uint8_t *buf, size_t size, int stream)
{
    iv_cm_memory_s m = {buf, size, fw_free};
    if (fw.outstanding == FW_MAX_OUTSTANDING) {
        /* The engine holds one buffer per stream; this many means it leaks them. */
        fprintf(stderr, "conf_fw: more than %d buffers not freed\n", FW_MAX_OUTSTANDING);
        fw.bad_frees++;
        m.buf_free_fn = NULL;
        return m;
    }
    outstanding[fw.outstanding].buf = buf;
    outstanding[fw.outstanding].size = size;
    outstanding[fw.outstanding].stream = stream;
    fw.outstanding++;
    return m;
}

static void *on_send_init(const char *params, const char *peer)
{
    void *handle = NULL;
    fw_stream *s;

    pthread_mutex_lock(&lock);
    callback_entered();
    if (strstr(params, "refuse=1") != NULL || fw.stream_count == FW_MAX_STREAMS) {
        fw.refused++;
    } else {
        s = &fw.streams[fw.stream_count];
        memset(s, 0, sizeof *s);
        s->handle = (void *)(uintptr_t)(HANDLE_BASE + (unsigned)fw.stream_count);
        snprintf(s->params, sizeof s->params, "%s", params);
        snprintf(s->peer, sizeof s->peer, "%s", peer ? peer : "");
        s->total = params_ull(params, "bytes", 0);
        s->seed = (uint32_t)params_ull(params, "seed", 0);
        s->chunk = (size_t)params_ull(params, "chunk", 4096);
        if (s->chunk == 0)
            s->chunk = 4096;
        handle = s->handle;
        fw.stream_count++;
    }
    pthread_mutex_unlock(&lock);
    return handle;
}

static iv_cm_memory_s on_send_get(void *handle)
{
    iv_cm_memory_s m = {NULL, 0, NULL};
    fw_stream *s;
    size_t n;
    uint8_t *buf;

    pthread_mutex_lock(&lock);
    callback_entered();
    s = stream_of(handle);
    if (s != NULL) {
        s->gets++;
        if (s->stops)
            s->after_stop++;
        if (s->ended)
            s->gets_after_end++;
        if (s->high)
            s->gets_while_high++;
        if (s->total != 0 && s->served >= s->total) {
            s->ended = 1;
            m.size = (size_t)-1; /* end of stream */
        } else {
            n = s->chunk;
            if (s->total != 0 && s->total - s->served < n)
                n = (size_t)(s->total - s->served);
            buf = malloc(n);
            if (buf != NULL) {
                pattern_fill(s->seed, s->served, buf, n);
                s->served += n;
                s->buffers++;
                m = handed_out(buf, n, (int)(s - fw.streams));
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return m;
}

static int on_send_stop(void *handle)
{
    fw_stream *s;
    /* The header: during the call the figures are still those of the stream. */
    iv_p2p_send_stats_s st = iv_avt_p2p_get_send_status(handle);
    size_t buffered = iv_avt_p2p_get_send_buf(handle);

    pthread_mutex_lock(&lock);
    callback_entered();
    s = stream_of(handle);
    if (s != NULL) {
        if (s->stops == 0) {
            s->stop_stats = st;
            s->stop_send_buf = buffered;
        }
        s->stops++;
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

static void on_event(iv_avt_event_e event, void *handle)
{
    fw_stream *s = NULL;
    /* The pump fires LOW and is the only one adding bytes, so they stay below low meanwhile. */
    size_t buffered = event == IV_AVT_EVENT_P2P_WATERMARK_LOW ? iv_avt_p2p_get_send_buf(handle) : 0;

    pthread_mutex_lock(&lock);
    callback_entered();
    if (fw.event_count < FW_MAX_EVENTS) {
        fw.events[fw.event_count].event = event;
        fw.events[fw.event_count].handle = handle;
    }
    fw.event_count++;
    if (event == IV_AVT_EVENT_P2P_WATERMARK_LOW || event == IV_AVT_EVENT_P2P_WATERMARK_WARN ||
        event == IV_AVT_EVENT_P2P_WATERMARK_HIGH) {
        s = stream_of(handle);
    } else if (handle != NULL) {
        fw.unknown_handles++; /* the header: NULL for every other event */
    }
    if (s != NULL) {
        if (s->stops)
            s->after_stop++;
        if (event == IV_AVT_EVENT_P2P_WATERMARK_WARN)
            s->warns++;
        if (event == IV_AVT_EVENT_P2P_WATERMARK_HIGH) {
            s->highs++;
            s->high = 1;
        }
        if (event == IV_AVT_EVENT_P2P_WATERMARK_LOW) {
            s->lows++;
            s->high = 0;
            if (buffered > s->buf_at_low_max)
                s->buf_at_low_max = buffered;
        }
    }
    pthread_mutex_unlock(&lock);
}

static void *on_recv_init(const char *params, const char *peer)
{
    void *handle = NULL;
    fw_talk *t;

    pthread_mutex_lock(&lock);
    callback_entered();
    if (fw.talk_count < FW_MAX_TALKS && strstr(params, "refuse=1") == NULL) {
        t = &fw.talks[fw.talk_count];
        memset(t, 0, sizeof *t);
        t->handle = (void *)(uintptr_t)(TALK_BASE + (unsigned)fw.talk_count);
        snprintf(t->params, sizeof t->params, "%s", params);
        snprintf(t->peer, sizeof t->peer, "%s", peer ? peer : "");
        handle = t->handle;
        fw.talk_count++;
    }
    pthread_mutex_unlock(&lock);
    return handle;
}

static void on_recv_voice(void *handle, uint8_t *buf, size_t len)
{
    fw_talk *t;

    pthread_mutex_lock(&lock);
    callback_entered();
    t = talk_of(handle);
    if (t != NULL && buf == NULL && len == 0) {
        t->ends++;
    } else if (t != NULL) {
        if (t->ends)
            t->after_end++;
        if (t->chunks == t->lens_cap) {
            t->lens_cap = t->lens_cap ? 2 * t->lens_cap : 256;
            t->lens = realloc(t->lens, t->lens_cap * sizeof *t->lens);
        }
        if (t->bytes + len > t->data_cap) {
            while (t->bytes + len > t->data_cap)
                t->data_cap = t->data_cap ? 2 * t->data_cap : 65536;
            t->data = realloc(t->data, t->data_cap);
        }
        t->lens[t->chunks++] = len;
        memcpy(t->data + t->bytes, buf, len);
        t->bytes += len;
    }
    pthread_mutex_unlock(&lock);
}

static iv_cm_memory_s on_command(const char *command, size_t cmd_len, const char *peer)
{
    iv_cm_memory_s m = {NULL, 0, NULL};
    unsigned long long big = 0;
    uint8_t *reply;
    size_t n;

    pthread_mutex_lock(&lock);
    callback_entered();
    fw.commands++;
    if (command[cmd_len] != '\0')
        fw.command_not_nul++;
    snprintf(fw.command_last, sizeof fw.command_last, "%.*s", (int)cmd_len, command);
    if (fw.commands > 1 && strcmp(fw.command_peer, peer ? peer : "") != 0)
        fw.command_peer_switches++;
    snprintf(fw.command_peer, sizeof fw.command_peer, "%s", peer ? peer : "");
    if (cmd_len == 5 && memcmp(command, "close", 5) == 0) {
        pthread_mutex_unlock(&lock);
        return m; /* the app is told the command channel is closed */
    }
    if (cmd_len > 4 && memcmp(command, "big:", 4) == 0)
        big = strtoull(fw.command_last + 4, NULL, 10);
    n = big ? (size_t)big : cmd_len + 5;
    reply = malloc(n);
    if (reply != NULL) {
        if (big) {
            pattern_fill_text(99, reply, n);
        } else {
            memcpy(reply, "echo:", 5);
            memcpy(reply + 5, command, cmd_len);
        }
        m = handed_out(reply, n, -1);
    }
    pthread_mutex_unlock(&lock);
    return m;
}

int fw_free_udp_ports(int *probe_port, int *trans_port)
{
    int fds[2], ports[2], i, rc = 0;
    struct sockaddr_in a;
    socklen_t len;

    /* Both bound at once, so the two differ; closed before init binds them. On the wildcard
     * address: the engine binds the probe port there, and a port free on every address is free
     * on 127.0.0.1 too (the session port). conf_start tries other ones if a port is taken
     * before init binds it. */
    for (i = 0; i < 2; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_ANY);
        len = sizeof a;
        if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof a) != 0 ||
            getsockname(fds[i], (struct sockaddr *)&a, &len) != 0)
            rc = -1;
        ports[i] = ntohs(a.sin_port);
    }
    for (i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    *probe_port = ports[0];
    *trans_port = ports[1];
    return rc;
}

int fw_exit(void)
{
    int rc;
    pthread_mutex_lock(&lock);
    exit_thread = pthread_self();
    in_exit = 1;
    pthread_mutex_unlock(&lock);
    rc = iv_avt_p2p_exit();
    pthread_mutex_lock(&lock);
    in_exit = 0;
    pthread_mutex_unlock(&lock);
    return rc;
}

int fw_init(int probe_port, int trans_port, const char *device_id)
{
    iv_p2p_parm_s p;
    char id[65];

    pthread_once(&cond_once, cond_setup);
    init_thread = pthread_self();
    memset(&p, 0, sizeof p);
    p.p2p_handle_send_init_cb = on_send_init;
    p.p2p_handle_send_get_cb = on_send_get;
    p.p2p_handle_send_stop_cb = on_send_stop;
    p.p2p_handle_event_notify_cb = on_event;
    p.p2p_handle_recv_init_cb = on_recv_init;
    p.p2p_handle_recv_voice_cb = on_recv_voice;
    p.p2p_handle_command_cb = on_command;
    p.p2p_keep_alive.time_inter_s = 5;
    p.p2p_keep_alive.max_attempt_num = 3;
    p.p2p_init_params.log_level = IV_AVT_P2P_LOG_INFO;
    p.net_info.probe_port = probe_port;
    p.net_info.trans_port = trans_port;
    snprintf(p.net_info.local_addr, sizeof p.net_info.local_addr, "127.0.0.1");
    snprintf(id, sizeof id, "%s", device_id);
    p.net_info.device_id = id;
    return iv_avt_p2p_init(&p);
}
