#include "bridge_ids.h"

#include "bridge_errors.h"
#include "iv_err.h"
#include "shim_log.h"

struct bridge_ids bridge_ids;

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass local = (*env)->FindClass(env, name);
    jclass global;
    if (local == NULL)
        return NULL;
    global = (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

static jmethodID static_method(JNIEnv *env, const char *name, const char *signature)
{
    jmethodID id = (*env)->GetStaticMethodID(env, bridge_ids.entry, name, signature);
    if (id == NULL)
        shim_log(SHIM_LOG_ERROR, "engine jar mismatch: %s.%s%s not found (libiv_p2p and the "
                 "engine jars must come from the same build)", BRIDGE_ENTRY_CLASS, name, signature);
    return id;
}

int bridge_ids_load(JNIEnv *env)
{
    jint boot_result;
    jmethodID boot;

    bridge_ids.out_of_memory_error = global_class(env, "java/lang/OutOfMemoryError");
    bridge_ids.entry = global_class(env, BRIDGE_ENTRY_CLASS);
    if (bridge_ids.entry == NULL || bridge_ids.out_of_memory_error == NULL) {
        /* The jars are compiled for Java 17 (class file version 61): an older runtime finds the
         * class but cannot load it, and "not found" would send the reader to the wrong place. */
        int too_old = bridge_pending_is(env, "java/lang/UnsupportedClassVersionError");
        bridge_take_exception(env, "loading the engine");
        if (too_old)
            shim_log(SHIM_LOG_ERROR, "the engine needs Java 17 or newer and this Java runtime is "
                     "older (see the UnsupportedClassVersionError above): point IVP2P_LIBJVM or "
                     "jvm.libjvm at a Java 17+ runtime's lib/server/libjvm.so");
        else
            shim_log(SHIM_LOG_ERROR, "engine class %s not found: are the engine jars installed in "
                     "the jar directory (see IVP2P_JAR_DIR)?", BRIDGE_ENTRY_CLASS);
        return IV_ERR_AVT_FAILED;
    }
    boot = static_method(env, "boot", "()I");
    bridge_ids.init = static_method(env, "init", "(J)I");
    bridge_ids.exit = static_method(env, "exit", "()I");
    bridge_ids.set_buf_watermark = static_method(env, "setBufWatermark", "(JJJ)I");
    bridge_ids.get_send_buf = static_method(env, "getSendBuf", "(J)J");
    bridge_ids.get_send_status = static_method(env, "getSendStatus", "(JJ)V");
    bridge_ids.send_command = static_method(env, "sendCommand", "(JJJJJI)I");
    if (!boot || !bridge_ids.init || !bridge_ids.exit || !bridge_ids.set_buf_watermark ||
        !bridge_ids.get_send_buf || !bridge_ids.get_send_status || !bridge_ids.send_command) {
        bridge_take_exception(env, "loading the engine");
        return IV_ERR_AVT_FAILED;
    }
    boot_result = (*env)->CallStaticIntMethod(env, bridge_ids.entry, boot);
    return bridge_result(env, boot_result, "starting the engine");
}
