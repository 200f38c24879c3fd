#include "jvm_boot.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "bridge_ids.h"
#include "iv_err.h"
#include "jvm_locate.h"
#include "shim_config.h"
#include "shim_log.h"

/* JNI 1.8 is what Java 8+ provides; the engine needs Java 17 anyway. */
#define SHIM_JNI_VERSION JNI_VERSION_1_8
#define MAX_JVM_OPTIONS 64
/* JNI_CreateJavaVM runs on this thread; HotSpot sizes its guard zones from
 * the thread's stack, and firmware threads (musl: 128 KiB) may be small. */
#define BOOT_THREAD_STACK (4u * 1024u * 1024u)

enum jvm_state { JVM_NOT_STARTED, JVM_RUNNING, JVM_FAILED };

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;
static enum jvm_state state = JVM_NOT_STARTED;
/* Published (release) only once the bridge's ids are cached; read (acquire)
 * without the lock by every call after that. */
static JavaVM *the_vm;

/* The boot thread while JNI_CreateJavaVM runs on it (see jvm_gave_up). */
static pthread_mutex_t boot_done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t boot_done_cond = PTHREAD_COND_INITIALIZER;
static int boot_done;
static int booting;
static pthread_t boot_thread_id;

static pthread_once_t detach_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t detach_key;

struct boot_request {
    create_vm_fn create_vm;
    JavaVMOption options[MAX_JVM_OPTIONS];
    int option_count;
    int result; /* IV_ERR_* */
    int vm_created;
    JavaVM *vm;
};

/* A firmware thread that attached and then exits is detached here, so the
 * JVM does not keep a dead thread's Java object and stack bookkeeping. */
static void detach_on_thread_exit(void *marker)
{
    JavaVM *vm = __atomic_load_n(&the_vm, __ATOMIC_ACQUIRE);
    (void)marker;
    if (vm != NULL)
        (*vm)->DetachCurrentThread(vm);
}

static void make_detach_key(void)
{
    pthread_key_create(&detach_key, detach_on_thread_exit);
}

static int attach_current_thread(JavaVM *vm, JNIEnv **env)
{
    JavaVMAttachArgs args;
    char comm[17] = {0};
    char name[32];
    jint rc = (*vm)->GetEnv(vm, (void **)env, SHIM_JNI_VERSION);

    if (rc == JNI_OK)
        return 0; /* a Java thread (e.g. inside a callback) or already attached */
    if (rc != JNI_EDETACHED)
        return -1;
    /* Name the Java view of the thread after the firmware's, for the logs. */
    prctl(PR_GET_NAME, comm, 0, 0, 0);
    snprintf(name, sizeof name, "fw-%s", comm[0] ? comm : "thread");
    args.version = SHIM_JNI_VERSION;
    args.name = name;
    args.group = NULL;
    if ((*vm)->AttachCurrentThreadAsDaemon(vm, (void **)env, &args) != JNI_OK) {
        shim_log(SHIM_LOG_ERROR, "AttachCurrentThreadAsDaemon failed");
        return -1;
    }
    pthread_once(&detach_key_once, make_detach_key);
    pthread_setspecific(detach_key, (void *)1);
    return 0;
}

static int add_option(struct boot_request *req, const char *text)
{
    char *copy;
    if (req->option_count >= MAX_JVM_OPTIONS) {
        shim_log(SHIM_LOG_ERROR, "more than %d JVM options", MAX_JVM_OPTIONS);
        return -1;
    }
    copy = strdup(text);
    if (copy == NULL)
        return -1;
    req->options[req->option_count].optionString = copy;
    req->options[req->option_count].extraInfo = NULL;
    req->option_count++;
    return 0;
}

/* HotSpot ends the process on some start-up errors instead of returning one
 * from JNI_CreateJavaVM: a value it rejects while initialising (-Xmx128, or
 * -Xms above -Xmx) goes through vm_exit_during_initialization -> vm_abort ->
 * os::abort, which calls the "abort" hook and then exit(1). A firmware must
 * never be ended by our library (ARCHITECTURE.md, the C boundary), so when
 * that happens on the boot thread during JNI_CreateJavaVM, the hook reports
 * the failure to init and parks the boot thread for good: the half-started
 * JVM cannot be used or started again in this process anyway. Anywhere else
 * (a real crash later) the hooks return and the JVM ends the process as it
 * would without them: a firmware watchdog sees a crash, not a hang. */
static struct boot_request *current_req;

static void jvm_gave_up(const char *how)
{
    if (!__atomic_load_n(&booting, __ATOMIC_ACQUIRE) || !pthread_equal(pthread_self(), boot_thread_id))
        return;
    shim_log(SHIM_LOG_ERROR, "the JVM gave up while starting (%s; its reason is on stderr just above, "
                             "e.g. \"Too small maximum heap\"): check jvm.options / IVP2P_JVM_OPTIONS",
             how);
    current_req->vm_created = 1;
    current_req->result = IV_ERR_AVT_FAILED;
    pthread_mutex_lock(&boot_done_lock);
    boot_done = 1;
    pthread_cond_broadcast(&boot_done_cond);
    for (;;) /* never returns: returning lets the JVM exit the process */
        pthread_cond_wait(&boot_done_cond, &boot_done_lock);
}

static void jvm_abort_hook(void)
{
    jvm_gave_up("abort during JNI_CreateJavaVM");
}

static void jvm_exit_hook(jint code)
{
    (void)code;
    jvm_gave_up("exit during JNI_CreateJavaVM");
}

/* "abort" and "exit" are JavaVMOptions whose extraInfo is the hook (JNI
 * specification, "JNI_CreateJavaVM": the VM's standard options). */
static int add_hook_option(struct boot_request *req, const char *name, void *hook)
{
    if (add_option(req, name) != 0)
        return -1;
    req->options[req->option_count - 1].extraInfo = hook;
    return 0;
}

static void free_options(struct boot_request *req)
{
    int i;
    for (i = 0; i < req->option_count; i++)
        free(req->options[i].optionString);
    req->option_count = 0;
}

static int build_options(struct boot_request *req, const struct shim_config *cfg, const char *jar_dir)
{
    static const char *const fixed[] = {
        "-Xrs", "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
        "-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.nounpack=true",
        "-Djna.encoding=UTF-8",
    };
    static char class_path[SHIM_CONFIG_VALUE_MAX * 4];
    char option[PATH_MAX + 64];
    char user_options[SHIM_CONFIG_VALUE_MAX];
    char *opt, *save = NULL;
    size_t i;

    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (add_option(req, fixed[i]) != 0)
            return -1;
    snprintf(option, sizeof option, "-Djna.boot.library.path=%s", jar_dir);
    if (add_option(req, option) != 0)
        return -1;
    snprintf(option, sizeof option, "-Divp2p.jar.dir=%s", jar_dir);
    if (add_option(req, option) != 0)
        return -1;
    if (jvm_locate_class_path(jar_dir, cfg->classpath.value, class_path, sizeof class_path) <= 0)
        return -1;
    if (add_option(req, class_path) != 0)
        return -1;
    if (add_hook_option(req, "abort", (void *)(uintptr_t)jvm_abort_hook) != 0 ||
        add_hook_option(req, "exit", (void *)(uintptr_t)jvm_exit_hook) != 0)
        return -1;
    strcpy(user_options, cfg->options.value);
    for (opt = strtok_r(user_options, " \t", &save); opt; opt = strtok_r(NULL, " \t", &save))
        if (add_option(req, opt) != 0)
            return -1;
    return 0;
}

static void *boot_thread(void *arg)
{
    struct boot_request *req = arg;
    JavaVMInitArgs vm_args;
    JavaVM *vm = NULL;
    JNIEnv *env = NULL;
    jint rc;

    boot_thread_id = pthread_self(); /* before the JVM can call a hook on this thread */
    vm_args.version = SHIM_JNI_VERSION;
    vm_args.nOptions = req->option_count;
    vm_args.options = req->options;
    vm_args.ignoreUnrecognized = JNI_FALSE;
    rc = req->create_vm(&vm, (void **)&env, &vm_args);
    __atomic_store_n(&booting, 0, __ATOMIC_RELEASE);
    req->vm_created = 1;
    if (rc != JNI_OK) {
        int i;
        shim_log(SHIM_LOG_ERROR, "JNI_CreateJavaVM failed (%d); options were:", (int)rc);
        for (i = 0; i < req->option_count; i++)
            if (req->options[i].extraInfo == NULL)
                shim_log(SHIM_LOG_ERROR, "  %s", req->options[i].optionString);
        req->result = IV_ERR_AVT_FAILED;
    }
    else {
        req->result = bridge_ids_load(env);
        req->vm = vm;
        /* The JVM outlives this thread; later callers attach themselves. */
        (*vm)->DetachCurrentThread(vm);
    }
    pthread_mutex_lock(&boot_done_lock);
    boot_done = 1;
    pthread_cond_broadcast(&boot_done_cond);
    pthread_mutex_unlock(&boot_done_lock);
    return NULL;
}

/* Runs JNI_CreateJavaVM on a shim-owned thread and waits for it. */
static int create_vm_on_own_thread(struct boot_request *req)
{
    pthread_attr_t attr;
    pthread_t thread;
    int rc;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, BOOT_THREAD_STACK);
    /* Detached: the boot thread may be parked for good (jvm_gave_up); it signals when done instead. */
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    current_req = req;
    boot_done = 0;
    pthread_mutex_lock(&boot_done_lock);
    __atomic_store_n(&booting, 1, __ATOMIC_RELEASE);
    rc = pthread_create(&thread, &attr, boot_thread, req);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        __atomic_store_n(&booting, 0, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&boot_done_lock);
        shim_log(SHIM_LOG_ERROR, "cannot start the JVM boot thread: %s", strerror(rc));
        return IV_ERR_AVT_FAILED;
    }
    while (!boot_done)
        pthread_cond_wait(&boot_done_cond, &boot_done_lock);
    pthread_mutex_unlock(&boot_done_lock);
    return req->result;
}

/* Another component of this process may have started a JVM already: use it
 * if our engine classes are visible to it. */
static int adopt_existing_vm(void *libjvm)
{
    created_vms_fn created = (created_vms_fn)(uintptr_t)dlsym(libjvm, "JNI_GetCreatedJavaVMs");
    JavaVM *vm = NULL;
    JNIEnv *env;
    jsize count = 0;

    if (created == NULL || created(&vm, 1, &count) != JNI_OK || count == 0)
        return 0;
    shim_log(SHIM_LOG_WARN, "this process already runs a JVM; using it");
    if (attach_current_thread(vm, &env) != 0)
        return -1;
    if (bridge_ids_load(env) != IV_ERR_NONE)
        return -1;
    __atomic_store_n(&the_vm, vm, __ATOMIC_RELEASE);
    return 1;
}

static int boot_locked(void)
{
    static struct shim_config cfg;
    static struct boot_request req;
    char libjvm_path[PATH_MAX], jar_dir[PATH_MAX];
    void *libjvm;
    int adopted;

    if (shim_config_load(&cfg) != 0 ||
        jvm_locate_libjvm(&cfg.libjvm, libjvm_path, sizeof libjvm_path) != 0 ||
        jvm_locate_jar_dir(&cfg.jar_dir, jar_dir, sizeof jar_dir) != 0)
        return IV_ERR_AVT_FAILED;

    libjvm = dlopen(libjvm_path, RTLD_NOW | RTLD_LOCAL);
    if (libjvm == NULL) {
        shim_log(SHIM_LOG_ERROR, "cannot load %s: %s", libjvm_path, dlerror());
        return IV_ERR_AVT_FAILED;
    }
    adopted = adopt_existing_vm(libjvm);
    if (adopted != 0) {
        state = adopted > 0 ? JVM_RUNNING : JVM_FAILED;
        return adopted > 0 ? IV_ERR_NONE : IV_ERR_AVT_FAILED;
    }

    memset(&req, 0, sizeof req);
    req.create_vm = (create_vm_fn)(uintptr_t)dlsym(libjvm, "JNI_CreateJavaVM");
    if (req.create_vm == NULL) {
        shim_log(SHIM_LOG_ERROR, "%s has no JNI_CreateJavaVM: not a JVM library", libjvm_path);
        dlclose(libjvm);
        return IV_ERR_AVT_FAILED;
    }
    if (build_options(&req, &cfg, jar_dir) != 0) {
        free_options(&req);
        dlclose(libjvm);
        return IV_ERR_AVT_FAILED;
    }
    shim_log(SHIM_LOG_INFO, "starting JVM %s with engine jars from %s", libjvm_path, jar_dir);
    req.result = IV_ERR_AVT_FAILED;
    create_vm_on_own_thread(&req);
    free_options(&req);
    /* libjvm stays loaded for the life of the process, whatever happened:
     * after JNI_CreateJavaVM was called, HotSpot cannot be started again. */
    if (req.result == IV_ERR_NONE) {
        __atomic_store_n(&the_vm, req.vm, __ATOMIC_RELEASE);
        state = JVM_RUNNING;
    }
    else if (req.vm_created)
        state = JVM_FAILED;
    else
        dlclose(libjvm);
    return req.result;
}

int jvm_boot_and_attach(JNIEnv **env)
{
    int rc = IV_ERR_NONE;

    pthread_mutex_lock(&boot_lock);
    if (state == JVM_NOT_STARTED)
        rc = boot_locked();
    else if (state == JVM_FAILED) {
        shim_log(SHIM_LOG_ERROR, "the JVM failed to start earlier in this process (see the first "
                                 "error); fix the setting and restart the process");
        rc = IV_ERR_AVT_FAILED;
    }
    pthread_mutex_unlock(&boot_lock);
    if (rc != IV_ERR_NONE)
        return rc;
    return attach_current_thread(__atomic_load_n(&the_vm, __ATOMIC_ACQUIRE), env) == 0
               ? IV_ERR_NONE
               : IV_ERR_AVT_FAILED;
}

int jvm_attach_if_running(JNIEnv **env)
{
    JavaVM *vm = __atomic_load_n(&the_vm, __ATOMIC_ACQUIRE);
    if (vm == NULL)
        return -1;
    return attach_current_thread(vm, env);
}
