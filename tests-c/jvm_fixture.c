/* Built with _GNU_SOURCE (tests-c/CMakeLists.txt): dl_iterate_phdr, RTLD_NOLOAD. */
#include "jvm_fixture.h"

#include <dirent.h>
#include <dlfcn.h>
#include <jni.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

static int find_libjvm(struct dl_phdr_info *info, size_t size, void *data)
{
    const char *name = info->dlpi_name;
    size_t len = name ? strlen(name) : 0;
    (void)size;
    if (len >= 9 && strcmp(name + len - 9, "libjvm.so") == 0) {
        snprintf((char *)data, 4096, "%s", name);
        return 1;
    }
    return 0;
}

static JavaVM *process_jvm(void)
{
    char path[4096] = "";
    void *lib;
    created_vms_fn created;
    JavaVM *vm = NULL;
    jsize count = 0;

    if (dl_iterate_phdr(find_libjvm, path) == 0)
        return NULL;
    lib = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL)
        return NULL;
    created = (created_vms_fn)(uintptr_t)dlsym(lib, "JNI_GetCreatedJavaVMs");
    if (created == NULL || created(&vm, 1, &count) != JNI_OK || count == 0)
        vm = NULL;
    dlclose(lib); /* drops only our extra reference */
    return vm;
}

int fixture_jvm_loaded(void)
{
    char path[4096] = "";
    return dl_iterate_phdr(find_libjvm, path) != 0;
}

int fixture_call(const char *class_name, const char *method, const char *arg, char *out,
                 size_t out_size)
{
    JavaVM *vm = process_jvm();
    JNIEnv *env;
    jclass cls;
    jmethodID mid;
    jstring jarg, jresult;
    const char *utf;
    int rc = -1;

    if (vm == NULL) {
        fprintf(stderr, "fixture: no JVM in this process\n");
        return -1;
    }
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK &&
        (*vm)->AttachCurrentThreadAsDaemon(vm, (void **)&env, NULL) != JNI_OK) {
        fprintf(stderr, "fixture: cannot attach\n");
        return -1;
    }
    if ((*env)->PushLocalFrame(env, 8) != 0)
        return -1;
    cls = (*env)->FindClass(env, class_name);
    mid = cls ? (*env)->GetStaticMethodID(env, cls, method, "(Ljava/lang/String;)Ljava/lang/String;")
              : NULL;
    if (mid != NULL) {
        jarg = (*env)->NewStringUTF(env, arg ? arg : "");
        jresult = (jstring)(*env)->CallStaticObjectMethod(env, cls, mid, jarg);
        if (!(*env)->ExceptionCheck(env) && jresult != NULL) {
            utf = (*env)->GetStringUTFChars(env, jresult, NULL);
            snprintf(out, out_size, "%s", utf);
            (*env)->ReleaseStringUTFChars(env, jresult, utf);
            rc = 0;
        }
    }
    if ((*env)->ExceptionCheck(env)) {
        fprintf(stderr, "fixture: exception in %s.%s:\n", class_name, method);
        (*env)->ExceptionDescribe(env);
    } else if (rc != 0) {
        fprintf(stderr, "fixture: %s.%s(String) not found or returned null\n", class_name, method);
    }
    (*env)->PopLocalFrame(env, NULL);
    return rc;
}

static long status_field(const char *field)
{
    char line[256];
    long value = -1;
    size_t len = strlen(field);
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            value = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

long fixture_os_threads(void)
{
    return status_field("Threads");
}

long fixture_rss_kib(void)
{
    return status_field("VmRSS");
}

long fixture_open_fds(void)
{
    long count = 0;
    struct dirent *e;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            count++;
    closedir(d);
    return count - 1; /* the directory stream's own descriptor */
}

static int saved_stderr = -1;
static FILE *captured;

int fixture_stderr_begin(void)
{
    fflush(stderr);
    captured = tmpfile();
    if (captured == NULL)
        return -1;
    saved_stderr = dup(STDERR_FILENO);
    dup2(fileno(captured), STDERR_FILENO);
    return 0;
}

int fixture_stderr_end(char *out, size_t out_size)
{
    size_t n;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    rewind(captured);
    n = fread(out, 1, out_size - 1, captured);
    out[n] = '\0';
    fclose(captured);
    fputs(out, stderr);
    return 0;
}
