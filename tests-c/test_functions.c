/*
 * Every exported function with valid and invalid arguments, before init,
 * during, and after exit, checked against the codes documented in iv_av.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "iv_av.h"
#include "jvm_fixture.h"
#include "test_parm.h"

#define KB(n) ((size_t)(n) * 1024)

static iv_p2p_parm_s parm;

static void fresh(void)
{
    test_parm_valid(&parm, IV_AVT_P2P_LOG_ERROR);
}

static int stats_are_zero(iv_p2p_send_stats_s s)
{
    return s.inst_net_rate == 0 && s.ave_sent_rate == 0 && s.sum_sent_acked == 0 && s.link_mode == 0;
}

static void check_send_command_arguments(int state_code)
{
    unsigned char reply[64];
    size_t reply_len = sizeof reply;
    static char big[65537];

    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_NULL, iv_avt_p2p_send_command(NULL, "m", 1, reply, &reply_len, 0));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_NULL, iv_avt_p2p_send_command("p", NULL, 1, reply, &reply_len, 0));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_NULL, iv_avt_p2p_send_command("p", "m", 1, NULL, &reply_len, 0));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_NULL, iv_avt_p2p_send_command("p", "m", 1, reply, NULL, 0));
    EXPECT_INT_EQ(state_code, iv_avt_p2p_send_command("nobody", "m", 1, reply, &reply_len, 100));
    EXPECT_UINT_EQ(sizeof reply, reply_len); /* untouched on failure */
    if (state_code != IV_ERR_AVT_STATE_ERROR) {
        EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_INVAILD, iv_avt_p2p_send_command("p", "m", 0, reply, &reply_len, 0));
        EXPECT_INT_EQ(IV_ERR_AVT_SEND_STREAM_TOO_BIG,
                      iv_avt_p2p_send_command("p", big, sizeof big, reply, &reply_len, 0));
        memset(big, 'x', 16 * 1024);
        /* A 16 KB message passes the argument checks (the vendor's recommended maximum). */
        EXPECT_INT_EQ(state_code, iv_avt_p2p_send_command("nobody", big, 16 * 1024, reply, &reply_len, 0));
    }
}

static void before_init(void)
{
    iv_p2p_send_stats_s stats;
    int dummy;

    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_exit());
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_set_buf_watermark(KB(200), KB(400), KB(500)));
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(&dummy));
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(NULL));
    memset(&stats, 0xff, sizeof stats);
    stats = iv_avt_p2p_get_send_status(&dummy);
    EXPECT_TRUE(stats_are_zero(stats));
    check_send_command_arguments(IV_ERR_AVT_STATE_ERROR);
    EXPECT_INT_EQ(IV_ERR_AVT_INIT_PRM_NULL, iv_avt_p2p_init(NULL));
    /* None of that needed (or started) a JVM. */
    EXPECT_INT_EQ(0, fixture_jvm_loaded());
}

/* Each invalid variant must be refused with its code and leave the engine
 * uninitialised (the next valid init succeeds). */
#define EXPECT_INIT_FAILS(code, mutate)                 \
    do {                                                \
        fresh();                                        \
        mutate;                                         \
        EXPECT_INT_EQ(code, iv_avt_p2p_init(&parm));    \
    } while (0)

static void invalid_parameters(void)
{
    static char long_id[80];

    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_CB_NULL, parm.p2p_handle_send_init_cb = NULL);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_CB_NULL, parm.p2p_handle_send_get_cb = NULL);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_CB_NULL, parm.p2p_handle_send_stop_cb = NULL);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_CB_NULL, parm.p2p_handle_recv_init_cb = NULL);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_CB_NULL, parm.p2p_handle_recv_voice_cb = NULL);

    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_keep_alive.max_attempt_num = 11);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.log_level = (iv_avt_p2p_log_level_e)6);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.mtu_size = 499);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.mtu_size = 1461);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.mtu_size = UINT32_MAX);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.nic_type = (iv_avt_p2p_nic_type_e)2);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.sender_interval_ms = 1001);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.keepalive_interval_s = 3601);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.access_retry_times = 101);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.p2p_init_params.protocol = (iv_avt_p2p_tp_type_e)3);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.net_info.probe_port = -1);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.net_info.trans_port = 65536);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, memset(parm.net_info.local_addr, '1', 64));
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, strcpy(parm.net_info.local_addr, "camera.local"));
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.net_info.device_id = "bad id!");
    memset(long_id, 'a', 65);
    EXPECT_INIT_FAILS(IV_ERR_AVT_INIT_PRM_RANGE, parm.net_info.vendor_id = long_id);
}

/* The caller may free or reuse its struct and strings once init returns. */
static void init_copies_everything(const char *log_dir)
{
    iv_p2p_parm_s *heap = malloc(sizeof *heap);
    char *device_id = strdup("cam_0001"), *vendor_id = strdup("acme"), *log_path = strdup(log_dir);
    char seen[1024];

    test_parm_valid(heap, IV_AVT_P2P_LOG_DEBUG);
    heap->p2p_init_params.log_file_path = log_path;
    heap->p2p_init_params.log_file_size = 64 * 1024;
    heap->p2p_init_params.mtu_size = 1460;
    heap->p2p_init_params.sender_interval_ms = 20;
    heap->net_info.probe_port = 0;
    heap->net_info.trans_port = 0;
    strcpy(heap->net_info.local_addr, "192.0.2.10");
    heap->net_info.device_id = device_id;
    heap->net_info.vendor_id = vendor_id;
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_init(heap));

    memset(heap, 0xA5, sizeof *heap);
    memset(device_id, 'X', strlen(device_id));
    memset(log_path, 'X', strlen(log_path));
    free(heap);
    free(device_id);
    free(vendor_id);

    seen[0] = 0;
    EXPECT_INT_EQ(0, fixture_call("io/ivp2p/testkit/Probe", "params", "", seen, sizeof seen));
    EXPECT_TRUE(strstr(seen, "device_id=cam_0001;") != NULL);
    EXPECT_TRUE(strstr(seen, "vendor_id=acme;") != NULL);
    EXPECT_TRUE(strstr(seen, "local_addr=192.0.2.10;") != NULL);
    EXPECT_TRUE(strstr(seen, "mtu=1460;") != NULL);
    EXPECT_TRUE(strstr(seen, "interval=20;") != NULL);
    EXPECT_TRUE(strstr(seen, "keepalive=10x3") != NULL);
    EXPECT_TRUE(strstr(seen, log_dir) != NULL);
    free(log_path);
}

static void while_initialised(void)
{
    iv_p2p_send_stats_s stats;
    int unknown;

    /* Twice is a state error, and leaves the running engine alone. */
    fresh();
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_init(&parm));

    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(KB(200), KB(400), KB(500)));
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(0, 0, 0));
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(7, 7, 7));
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(0, 0, 1));
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(SIZE_MAX - 2, SIZE_MAX - 1, SIZE_MAX));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_INVAILD, iv_avt_p2p_set_buf_watermark(KB(500), KB(400), KB(200)));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_INVAILD, iv_avt_p2p_set_buf_watermark(1, 0, 0));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_INVAILD, iv_avt_p2p_set_buf_watermark(0, 2, 1));
    EXPECT_INT_EQ(IV_ERR_AVT_INPUT_PARAM_INVAILD, iv_avt_p2p_set_buf_watermark(SIZE_MAX, 1, SIZE_MAX));

    /* No stream exists yet: every handle is unknown. */
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(&unknown));
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(NULL));
    stats = iv_avt_p2p_get_send_status(&unknown);
    EXPECT_TRUE(stats_are_zero(stats));
    stats = iv_avt_p2p_get_send_status(NULL);
    EXPECT_TRUE(stats_are_zero(stats));

    /* No app session exists yet: every peer is unknown. */
    check_send_command_arguments(IV_ERR_AVT_CHN_NOT_EXIT);
}

static void log_file_written(const char *log_dir)
{
    char path[4096 + 32], line[512];
    int found = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/ivp2p.log", log_dir);
    f = fopen(path, "r");
    EXPECT_TRUE(f != NULL);
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL)
        if (strstr(line, "initialised") != NULL)
            found = 1;
    fclose(f);
    EXPECT_INT_EQ(1, found);
}

int main(void)
{
    const char *work = getenv("IVP2P_TEST_WORK_DIR");
    char log_dir[4096];
    int i;

    snprintf(log_dir, sizeof log_dir, "%s/log", work ? work : ".");
    mkdir(log_dir, 0755);

    before_init();
    invalid_parameters();
    EXPECT_INT_EQ(1, fixture_jvm_loaded());
    init_copies_everything(log_dir);
    while_initialised();
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_exit());
    log_file_written(log_dir);

    /* After exit: as before init, and init works again. */
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_exit());
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_set_buf_watermark(1, 2, 3));
    check_send_command_arguments(IV_ERR_AVT_STATE_ERROR);
    for (i = 0; i < 3; i++) {
        fresh();
        EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_init(&parm));
        EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_exit());
    }
    /* The stub callbacks never ran: nothing in this test asks for a stream. */
    EXPECT_INT_EQ(0, test_parm_callback_calls);
    return expect_exit_code("test_functions");
}
