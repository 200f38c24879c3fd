/*
 * vendor_sample.c - the vendor's documented sample initialisation of the raw
 * P2P interface, kept in its shape: a zeroed iv_p2p_parm_s, the seven
 * callbacks with exactly the documented signatures, keep-alive 10 s / 3
 * probes, DEBUG log to a directory with a 1 MiB limit, then iv_avt_p2p_init
 * and the sample watermarks 200/400/500 KB.
 *
 * Two tests use it:
 *  - headers_c99/_c11/_cxx11/_cxx17 compile it with -Wall -Wextra -Werror
 *    -pedantic as C and as C++: firmware code written like the vendor's sample
 *    must build warning-free against our headers;
 *  - vendor_sample runs it against libiv_p2p: init, set watermark, exit,
 *    init again, exit - every call must return IV_ERR_NONE.
 *
 * The sample logs to "/tmp"; IVP2P_SAMPLE_LOG_DIR overrides that so a test
 * run keeps its log in the build tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "iv_av.h"

static int sample_stream; /* its address is the sample's stream handle */
static int sample_talk;   /* its address is the sample's talk handle */

static void *sample_send_init(const char *params, const char *peer)
{
    printf("send_init: params=%s peer=%s\n", params, peer);
    return &sample_stream;
}

static iv_cm_memory_s sample_send_get(void *handle)
{
    iv_cm_memory_s mem = { NULL, 0, NULL }; /* no data now */
    (void)handle;
    return mem;
}

static int sample_send_stop(void *handle)
{
    (void)handle;
    printf("send_stop\n");
    return 0;
}

static void sample_event_notify(iv_avt_event_e event, void *handle)
{
    printf("event %d, handle %p\n", (int)event, handle);
}

static void *sample_recv_init(const char *params, const char *peer)
{
    printf("recv_init: params=%s peer=%s\n", params, peer);
    return &sample_talk;
}

static void sample_recv_voice(void *handle, uint8_t *recv_buf, size_t recv_len)
{
    (void)handle;
    (void)recv_buf;
    (void)recv_len;
}

static iv_cm_memory_s sample_command(const char *command, size_t cmd_len, const char *peer)
{
    iv_cm_memory_s reply = { NULL, 0, NULL }; /* "channel closed" */
    printf("command (%u bytes) from %s: %s\n", (unsigned)cmd_len, peer, command);
    return reply;
}

static int sample_init(void)
{
    const char *log_dir = getenv("IVP2P_SAMPLE_LOG_DIR");
    /* The sample's "= {0}". g++ -Wextra warns about {0} for a struct
     * (-Wmissing-field-initializers: C++ has no universal zero initializer
     * exemption), so C++ spells the same zeroing "= {}". */
#ifdef __cplusplus
    iv_p2p_parm_s p2p_param = {};
#else
    iv_p2p_parm_s p2p_param = {0};
#endif
    int ret;

    p2p_param.p2p_handle_send_init_cb = sample_send_init;
    p2p_param.p2p_handle_send_get_cb = sample_send_get;
    p2p_param.p2p_handle_send_stop_cb = sample_send_stop;
    p2p_param.p2p_handle_event_notify_cb = sample_event_notify;
    p2p_param.p2p_handle_recv_init_cb = sample_recv_init;
    p2p_param.p2p_handle_recv_voice_cb = sample_recv_voice;
    p2p_param.p2p_handle_command_cb = sample_command;

    p2p_param.p2p_keep_alive.time_inter_s = 10;
    p2p_param.p2p_keep_alive.max_attempt_num = 3;

    p2p_param.p2p_init_params.log_level = IV_AVT_P2P_LOG_DEBUG;
    p2p_param.p2p_init_params.log_file_path = (log_dir != NULL && log_dir[0] != '\0') ? log_dir : "/tmp";
    p2p_param.p2p_init_params.log_file_size = 1 * 1024 * 1024;

    ret = iv_avt_p2p_init(&p2p_param);
    printf("iv_avt_p2p_init: %d\n", ret);
    return ret;
}

int main(void)
{
    int ret, failed = 0;

    ret = sample_init();
    failed |= ret != IV_ERR_NONE;

    ret = iv_avt_p2p_set_buf_watermark(200 * 1024, 400 * 1024, 500 * 1024);
    printf("iv_avt_p2p_set_buf_watermark: %d\n", ret);
    failed |= ret != IV_ERR_NONE;

    ret = iv_avt_p2p_exit();
    printf("iv_avt_p2p_exit: %d\n", ret);
    failed |= ret != IV_ERR_NONE;

    /* init may be called again after exit */
    ret = sample_init();
    failed |= ret != IV_ERR_NONE;

    ret = iv_avt_p2p_exit();
    printf("iv_avt_p2p_exit: %d\n", ret);
    failed |= ret != IV_ERR_NONE;

    printf("vendor_sample: %s\n", failed ? "FAILED" : "all calls returned IV_ERR_NONE");
    return failed ? 1 : 0;
}
