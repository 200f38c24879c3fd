/*
 * bridge_errors - what the shim does with a Java exception.
 *
 * The rule (one table, on the Java side): every NativeEntry method catches
 * every Throwable and maps it through io.ivp2p.bridge.ErrorMap to an
 * IV_ERR_* code, so normally no exception reaches C. What can still arrive
 * is thrown by the VM around the call itself (OutOfMemoryError or
 * StackOverflowError while entering the method, a class that fails to
 * link). The shim logs it, clears it - a pending exception must never leak
 * into the firmware's next JNI call - and returns:
 *   OutOfMemoryError  -> IV_ERR_SYS_MALLOC_FAIL
 *   anything else     -> IV_ERR_AVT_FAILED
 */
#ifndef IVP2P_BRIDGE_ERRORS_H
#define IVP2P_BRIDGE_ERRORS_H

#include <jni.h>

/* Returns IV_ERR_NONE when no exception is pending, else the code above
 * (after logging and clearing it). what names the operation for the log. */
int bridge_take_exception(JNIEnv *env, const char *what);

/* Whether the pending exception (if any) is an instance of class_name
 * ("java/lang/..."); the exception stays pending. */
int bridge_pending_is(JNIEnv *env, const char *class_name);

/* result of a bridge call that returns an IV_ERR_* code, unless an
 * exception is pending. */
int bridge_result(JNIEnv *env, jint result, const char *what);

#endif
