#include "test_parm.h"

#include <string.h>

volatile int test_parm_callback_calls;

static void *stub_send_init(const char *params, const char *peer)
{
    (void)params;
    (void)peer;
    test_parm_callback_calls++;
    return NULL;
}

static iv_cm_memory_s stub_send_get(void *handle)
{
    iv_cm_memory_s none = {NULL, 0, NULL};
    (void)handle;
    test_parm_callback_calls++;
    return none;
}

static int stub_send_stop(void *handle)
{
    (void)handle;
    test_parm_callback_calls++;
    return 0;
}

static void stub_event(iv_avt_event_e event, void *handle)
{
    (void)event;
    (void)handle;
    test_parm_callback_calls++;
}

static void stub_recv_voice(void *handle, uint8_t *buf, size_t len)
{
    (void)handle;
    (void)buf;
    (void)len;
    test_parm_callback_calls++;
}

static iv_cm_memory_s stub_command(const char *cmd, size_t len, const char *peer)
{
    iv_cm_memory_s none = {NULL, 0, NULL};
    (void)cmd;
    (void)len;
    (void)peer;
    test_parm_callback_calls++;
    return none;
}

void test_parm_valid(iv_p2p_parm_s *p, iv_avt_p2p_log_level_e log_level)
{
    memset(p, 0, sizeof *p);
    p->p2p_handle_send_init_cb = stub_send_init;
    p->p2p_handle_send_get_cb = stub_send_get;
    p->p2p_handle_send_stop_cb = stub_send_stop;
    p->p2p_handle_event_notify_cb = stub_event;
    p->p2p_handle_recv_init_cb = stub_send_init;
    p->p2p_handle_recv_voice_cb = stub_recv_voice;
    p->p2p_handle_command_cb = stub_command;
    p->p2p_keep_alive.time_inter_s = 10;
    p->p2p_keep_alive.max_attempt_num = 3;
    p->p2p_init_params.log_level = log_level;
}
