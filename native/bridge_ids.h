/*
 * bridge_ids - the Java side the shim calls: io.ivp2p.bridge.NativeEntry and
 * its static methods, looked up once when the JVM starts (conscrypt-style:
 * cached at load, never looked up on a hot path). Global refs, never freed:
 * they live as long as the process's JVM.
 *
 * Only primitives cross: pointers travel as jlong addresses that the Java
 * side reads and writes through JNA, so no JNI string or array handling
 * exists in C.
 */
#ifndef IVP2P_BRIDGE_IDS_H
#define IVP2P_BRIDGE_IDS_H

#include <jni.h>

#define BRIDGE_ENTRY_CLASS "io/ivp2p/bridge/NativeEntry"

struct bridge_ids {
    jclass entry;
    jmethodID init;              /* int init(long parm) */
    jmethodID exit;              /* int exit() */
    jmethodID set_buf_watermark; /* int setBufWatermark(long low, long warn, long high) */
    jmethodID get_send_buf;      /* long getSendBuf(long handle) */
    jmethodID get_send_status;   /* void getSendStatus(long handle, long statsOut) */
    jmethodID send_command;      /* int sendCommand(long peer, long msg, long msgLen,
                                    long recvBuf, long recvLenPtr, int timeoutMs) */
    jclass out_of_memory_error;
};

extern struct bridge_ids bridge_ids;

/* Looks everything up and runs NativeEntry.boot() (which checks that JNA
 * loads its installed native stub). Returns IV_ERR_NONE, or
 * IV_ERR_AVT_FAILED after logging what is missing. Called once, on the boot
 * thread. */
int bridge_ids_load(JNIEnv *env);

#endif
