#include "bridge_errors.h"

#include "bridge_ids.h"
#include "iv_err.h"
#include "shim_log.h"

int bridge_take_exception(JNIEnv *env, const char *what)
{
    jthrowable thrown;
    int code;

    if (!(*env)->ExceptionCheck(env))
        return IV_ERR_NONE;
    thrown = (*env)->ExceptionOccurred(env);
    shim_log(SHIM_LOG_ERROR, "Java exception while %s (stack trace follows)", what);
    /* Prints the stack trace to stderr and clears the exception. */
    (*env)->ExceptionDescribe(env);
    (*env)->ExceptionClear(env);
    code = bridge_ids.out_of_memory_error != NULL &&
                   (*env)->IsInstanceOf(env, thrown, bridge_ids.out_of_memory_error)
               ? IV_ERR_SYS_MALLOC_FAIL
               : IV_ERR_AVT_FAILED;
    (*env)->DeleteLocalRef(env, thrown);
    return code;
}

int bridge_pending_is(JNIEnv *env, const char *class_name)
{
    jthrowable thrown = (*env)->ExceptionOccurred(env);
    jclass cls;
    int is;

    if (thrown == NULL)
        return 0;
    /* FindClass may not be called with an exception pending: set it aside, then throw it again. */
    (*env)->ExceptionClear(env);
    cls = (*env)->FindClass(env, class_name);
    if (cls == NULL) {
        (*env)->ExceptionClear(env);
        is = 0;
    } else {
        is = (*env)->IsInstanceOf(env, thrown, cls) == JNI_TRUE;
        (*env)->DeleteLocalRef(env, cls);
    }
    (*env)->Throw(env, thrown);
    (*env)->DeleteLocalRef(env, thrown);
    return is;
}

int bridge_result(JNIEnv *env, jint result, const char *what)
{
    int code = bridge_take_exception(env, what);
    return code != IV_ERR_NONE ? code : (int)result;
}
