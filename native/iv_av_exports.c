/*
 * The six exported functions of iv_av.h. Each one does the same few steps:
 * check its arguments, get this thread's JNIEnv (starting the JVM only in
 * init, attaching as a daemon once), call one cached static method of
 * io.ivp2p.bridge.NativeEntry, and turn a stray Java exception into an
 * IV_ERR_* code (bridge_errors.h). Nothing here aborts or exits the process.
 */
#include <stdint.h>
#include <string.h>

#include "bridge_errors.h"
#include "bridge_ids.h"
#include "iv_av.h"
#include "jvm_boot.h"
#include "shim_log.h"

#define IVP2P_EXPORT __attribute__((visibility("default")))

/* Pointers and size_t values cross as jlong; Java reads them as unsigned. */
static jlong address_arg(const void *p)
{
    return (jlong)(uintptr_t)p;
}

static jlong size_arg(size_t v)
{
    return (jlong)(uint64_t)v;
}

IVP2P_EXPORT int iv_avt_p2p_init(const iv_p2p_parm_s *pstInitParm)
{
    JNIEnv *env;
    jint result;
    int rc;

    if (pstInitParm == NULL) {
        shim_log(SHIM_LOG_ERROR, "iv_avt_p2p_init: pstInitParm is NULL");
        return IV_ERR_AVT_INIT_PRM_NULL;
    }
    shim_log_set_level((int)pstInitParm->p2p_init_params.log_level);
    rc = jvm_boot_and_attach(&env);
    if (rc != IV_ERR_NONE)
        return rc;
    result = (*env)->CallStaticIntMethod(env, bridge_ids.entry, bridge_ids.init,
                                         address_arg(pstInitParm));
    return bridge_result(env, result, "iv_avt_p2p_init");
}

IVP2P_EXPORT int iv_avt_p2p_exit(void)
{
    JNIEnv *env;
    jint result;

    if (jvm_attach_if_running(&env) != 0)
        return IV_ERR_AVT_STATE_ERROR; /* never initialised in this process */
    result = (*env)->CallStaticIntMethod(env, bridge_ids.entry, bridge_ids.exit);
    return bridge_result(env, result, "iv_avt_p2p_exit");
}

IVP2P_EXPORT int iv_avt_p2p_set_buf_watermark(size_t low_mark, size_t warn_mark, size_t high_mark)
{
    JNIEnv *env;
    jint result;

    if (jvm_attach_if_running(&env) != 0)
        return IV_ERR_AVT_STATE_ERROR;
    result = (*env)->CallStaticIntMethod(env, bridge_ids.entry, bridge_ids.set_buf_watermark,
                                         size_arg(low_mark), size_arg(warn_mark),
                                         size_arg(high_mark));
    return bridge_result(env, result, "iv_avt_p2p_set_buf_watermark");
}

IVP2P_EXPORT size_t iv_avt_p2p_get_send_buf(void *handle)
{
    JNIEnv *env;
    jlong bytes;

    /* iv_av.h: 0 for a NULL or unknown handle and before init. */
    if (handle == NULL || jvm_attach_if_running(&env) != 0)
        return 0;
    bytes = (*env)->CallStaticLongMethod(env, bridge_ids.entry, bridge_ids.get_send_buf,
                                         address_arg(handle));
    if (bridge_take_exception(env, "iv_avt_p2p_get_send_buf") != 0 || bytes < 0)
        return 0;
    return (size_t)bytes;
}

IVP2P_EXPORT iv_p2p_send_stats_s iv_avt_p2p_get_send_status(void *handle)
{
    iv_p2p_send_stats_s stats;
    JNIEnv *env;

    /* iv_av.h: all zero for a NULL or unknown handle and before init. */
    memset(&stats, 0, sizeof stats);
    if (handle == NULL || jvm_attach_if_running(&env) != 0)
        return stats;
    (*env)->CallStaticVoidMethod(env, bridge_ids.entry, bridge_ids.get_send_status,
                                 address_arg(handle), address_arg(&stats));
    if (bridge_take_exception(env, "iv_avt_p2p_get_send_status") != 0)
        memset(&stats, 0, sizeof stats);
    return stats;
}

IVP2P_EXPORT int iv_avt_p2p_send_command(const char *peer, const char *msg, size_t msg_len,
                                         unsigned char *recv_buf, size_t *recv_len,
                                         uint32_t timeout_ms)
{
    JNIEnv *env;
    jint result;

    if (peer == NULL || msg == NULL || recv_buf == NULL || recv_len == NULL) {
        shim_log(SHIM_LOG_ERROR, "iv_avt_p2p_send_command: NULL %s",
                 peer == NULL ? "peer" : msg == NULL ? "msg" : recv_buf == NULL ? "recv_buf" : "recv_len");
        return IV_ERR_AVT_INPUT_PARAM_NULL;
    }
    if (jvm_attach_if_running(&env) != 0)
        return IV_ERR_AVT_STATE_ERROR;
    result = (*env)->CallStaticIntMethod(env, bridge_ids.entry, bridge_ids.send_command,
                                         address_arg(peer), address_arg(msg), size_arg(msg_len),
                                         address_arg(recv_buf), address_arg(recv_len),
                                         (jint)timeout_ms);
    return bridge_result(env, result, "iv_avt_p2p_send_command");
}
