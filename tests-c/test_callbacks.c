/*
 * Callback round trip (iv_av.h callback contracts): a test-only Java driver
 * (io.ivp2p.testkit.CallbackDriver) calls each of the seven callbacks through
 * the engine's JNA glue; these C callbacks follow a fixed script, record what
 * arrives, and count every buffer they hand out and every free. Checks:
 * arguments as sent, results as returned (handles, iv_cm_memory_s by value),
 * every buffer with a buf_free_fn freed exactly once with its own size, none
 * freed without one, and no callback after iv_avt_p2p_exit.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "iv_av.h"
#include "jvm_fixture.h"

#define LIVE_HANDLE ((void *)0x1001)
#define TALK_HANDLE ((void *)0x2002)
#define CHURN_HANDLE ((void *)0x3003)
#define CHURN_BUFFERS (4 * 1000) /* CallbackDriver: 4 threads x 1000 */
#define MAX_BUFFERS (CHURN_BUFFERS + 16)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Every buffer handed out with a free function, and how often it was freed. */
static struct {
    uint8_t *buf;
    size_t size;
    int frees;
} buffers[MAX_BUFFERS];
static int buffer_count, bad_frees;

static char send_init_params[2][128], send_init_peer[2][32];
static int send_init_calls, send_get_calls, live_get_step;
static void *send_stop_handle;
static int send_stop_calls;
static int events[4];
static void *event_handles[4];
static int event_count;
static char recv_init_params[128], recv_init_peer[32];
static char voice[64];
static size_t voice_len;
static int voice_ends, voice_after_end;
static char command_text[2][64], command_peer[2][32];
static size_t command_len[2];
static int command_nul_terminated[2];
static int command_calls;

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "(null)");
}

static void test_free(uint8_t *buf, size_t size)
{
    int i;
    pthread_mutex_lock(&lock);
    for (i = 0; i < buffer_count; i++) {
        if (buffers[i].buf == buf) {
            if (buffers[i].size != size)
                bad_frees++;
            buffers[i].frees++;
            break;
        }
    }
    if (i == buffer_count)
        bad_frees++; /* freeing something we never handed out */
    pthread_mutex_unlock(&lock);
    /* Not free(): keeps every address unique, so a double free is counted, not reused. */
}

static iv_cm_memory_s owned(const void *bytes, size_t size)
{
    iv_cm_memory_s m;
    m.buf = malloc(size);
    memcpy(m.buf, bytes, size);
    m.size = size;
    m.buf_free_fn = test_free;
    pthread_mutex_lock(&lock);
    if (buffer_count < MAX_BUFFERS) {
        buffers[buffer_count].buf = m.buf;
        buffers[buffer_count].size = size;
        buffer_count++;
    }
    pthread_mutex_unlock(&lock);
    return m;
}

static void *on_send_init(const char *params, const char *peer)
{
    int n = send_init_calls++;
    if (n < 2) {
        copy_str(send_init_params[n], sizeof send_init_params[n], params);
        copy_str(send_init_peer[n], sizeof send_init_peer[n], peer);
    }
    return strncmp(params, "action=live", 11) == 0 ? LIVE_HANDLE : NULL;
}

static iv_cm_memory_s on_send_get(void *handle)
{
    static uint8_t unowned[] = "static";
    iv_cm_memory_s m = {NULL, 0, NULL};
    uint8_t churn[32];

    __atomic_fetch_add(&send_get_calls, 1, __ATOMIC_SEQ_CST);
    if (handle == CHURN_HANDLE) {
        memset(churn, 0x5a, sizeof churn);
        return owned(churn, sizeof churn);
    }
    if (handle != LIVE_HANDLE)
        return m;
    switch (live_get_step++) {
    case 0:
        return owned("frame-1", 7);
    case 1:
        return m; /* no data now */
    case 2:
        m.buf = unowned; /* NULL buf_free_fn: never freed */
        m.size = 6;
        return m;
    default:
        m.size = (size_t)-1; /* end of stream */
        return m;
    }
}

static int on_send_stop(void *handle)
{
    send_stop_handle = handle;
    send_stop_calls++;
    return 123; /* ignored by the SDK */
}

static void on_event(iv_avt_event_e event, void *handle)
{
    if (event_count < 4) {
        events[event_count] = (int)event;
        event_handles[event_count] = handle;
    }
    event_count++;
}

static void *on_recv_init(const char *params, const char *peer)
{
    copy_str(recv_init_params, sizeof recv_init_params, params);
    copy_str(recv_init_peer, sizeof recv_init_peer, peer);
    return TALK_HANDLE;
}

static void on_recv_voice(void *handle, uint8_t *buf, size_t len)
{
    if (handle != TALK_HANDLE)
        return;
    if (buf == NULL && len == 0) {
        voice_ends++;
        return;
    }
    if (voice_ends)
        voice_after_end++;
    if (voice_len + len < sizeof voice) {
        memcpy(voice + voice_len, buf, len);
        voice_len += len;
    }
}

static iv_cm_memory_s on_command(const char *command, size_t cmd_len, const char *peer)
{
    iv_cm_memory_s closed = {NULL, 0, NULL};
    char reply[96];
    int n = command_calls++;

    if (n < 2) {
        snprintf(command_text[n], sizeof command_text[n], "%.*s", (int)cmd_len, command);
        command_len[n] = cmd_len;
        command_nul_terminated[n] = command[cmd_len] == '\0';
        copy_str(command_peer[n], sizeof command_peer[n], peer);
    }
    if (cmd_len == 5 && memcmp(command, "close", 5) == 0)
        return closed;
    snprintf(reply, sizeof reply, "reply:%.*s", (int)cmd_len, command);
    return owned(reply, strlen(reply));
}

int main(void)
{
    iv_p2p_parm_s parm;
    char result[4096];
    int i, gets_before;

    memset(&parm, 0, sizeof parm);
    parm.p2p_handle_send_init_cb = on_send_init;
    parm.p2p_handle_send_get_cb = on_send_get;
    parm.p2p_handle_send_stop_cb = on_send_stop;
    parm.p2p_handle_event_notify_cb = on_event;
    parm.p2p_handle_recv_init_cb = on_recv_init;
    parm.p2p_handle_recv_voice_cb = on_recv_voice;
    parm.p2p_handle_command_cb = on_command;
    parm.p2p_init_params.log_level = IV_AVT_P2P_LOG_INFO;
    REQUIRE_TRUE(iv_avt_p2p_init(&parm) == IV_ERR_NONE);

    REQUIRE_TRUE(fixture_call("io/ivp2p/testkit/CallbackDriver", "run", "", result, sizeof result) == 0);
    EXPECT_STR_EQ("ok", result);

    /* send_init: both calls, strings intact */
    EXPECT_INT_EQ(2, send_init_calls);
    EXPECT_STR_EQ("action=live&channel=0&quality=high", send_init_params[0]);
    EXPECT_STR_EQ("peer-A", send_init_peer[0]);
    EXPECT_STR_EQ("action=refuse", send_init_params[1]);
    /* send_get: the 4-step script plus the churn */
    EXPECT_INT_EQ(4 + CHURN_BUFFERS, send_get_calls);
    /* send_stop */
    EXPECT_INT_EQ(1, send_stop_calls);
    EXPECT_TRUE(send_stop_handle == LIVE_HANDLE);
    /* events: WATERMARK_HIGH with the stream handle, PEER_READY with NULL */
    EXPECT_INT_EQ(2, event_count);
    EXPECT_INT_EQ(IV_AVT_EVENT_P2P_WATERMARK_HIGH, events[0]);
    EXPECT_TRUE(event_handles[0] == LIVE_HANDLE);
    EXPECT_INT_EQ(IV_AVT_EVENT_P2P_PEER_READY, events[1]);
    EXPECT_TRUE(event_handles[1] == NULL);
    /* talk: params, chunks in order, one end marker, nothing after it */
    EXPECT_STR_EQ("action=talk&codec=g711a", recv_init_params);
    EXPECT_STR_EQ("peer-B", recv_init_peer);
    voice[voice_len] = '\0';
    EXPECT_STR_EQ("hello world", voice);
    EXPECT_INT_EQ(1, voice_ends);
    EXPECT_INT_EQ(0, voice_after_end);
    /* commands: bytes and length, NUL after the counted bytes, peer */
    EXPECT_INT_EQ(2, command_calls);
    EXPECT_STR_EQ("get_info", command_text[0]);
    EXPECT_UINT_EQ(8, command_len[0]);
    EXPECT_INT_EQ(1, command_nul_terminated[0]);
    EXPECT_STR_EQ("peer-C", command_peer[0]);
    EXPECT_STR_EQ("close", command_text[1]);
    /* frees: frame-1, the get_info reply and every churn buffer, each exactly once */
    EXPECT_INT_EQ(2 + CHURN_BUFFERS, buffer_count);
    EXPECT_INT_EQ(0, bad_frees);
    for (i = 0; i < buffer_count; i++)
        if (buffers[i].frees != 1) {
            fprintf(stderr, "buffer %d (%zu bytes) freed %d times\n", i, buffers[i].size,
                    buffers[i].frees);
            expect_failures++;
        }

    /* After exit the old engine's callbacks are refused, and none runs. */
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_exit());
    gets_before = send_get_calls;
    REQUIRE_TRUE(fixture_call("io/ivp2p/testkit/CallbackDriver", "afterExit", "", result,
                              sizeof result) == 0);
    EXPECT_STR_EQ("refused", result);
    EXPECT_INT_EQ(gets_before, send_get_calls);

    for (i = 0; i < buffer_count; i++)
        free(buffers[i].buf);
    return expect_exit_code("test_callbacks");
}
