#include "jvm_locate.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iv_av.h"
#include "shim_log.h"

#define LIBJVM_UNDER_HOME "/lib/server/libjvm.so"
#define MAX_TRIED 8

struct tried_list {
    char paths[MAX_TRIED][PATH_MAX];
    int count;
};

static int try_candidate(struct tried_list *tried, const char *path, char *out, size_t out_size)
{
    if (tried->count < MAX_TRIED)
        snprintf(tried->paths[tried->count++], PATH_MAX, "%s", path);
    if (access(path, R_OK) != 0 || strlen(path) >= out_size)
        return -1;
    strcpy(out, path);
    return 0;
}

static int try_java_home(struct tried_list *tried, const char *home, char *out, size_t out_size)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s%s", home, LIBJVM_UNDER_HOME) >= (int)sizeof path)
        return -1;
    return try_candidate(tried, path, out, out_size);
}

/* The first executable "java" on PATH, resolved to its JDK home. */
static int java_home_from_path(char *home, size_t home_size)
{
    const char *path_env = getenv("PATH");
    char dirs[PATH_MAX * 4];
    char candidate[PATH_MAX], resolved[PATH_MAX];
    char *dir, *save = NULL, *slash;

    if (path_env == NULL || strlen(path_env) >= sizeof dirs)
        return -1;
    strcpy(dirs, path_env);
    for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        if (snprintf(candidate, sizeof candidate, "%s/java", *dir ? dir : ".") >= (int)sizeof candidate)
            continue;
        if (access(candidate, X_OK) != 0 || realpath(candidate, resolved) == NULL)
            continue;
        /* <home>/bin/java -> <home> */
        slash = strrchr(resolved, '/');
        if (slash == NULL)
            continue;
        *slash = '\0';
        slash = strrchr(resolved, '/');
        if (slash == NULL)
            continue;
        *slash = '\0';
        if (strlen(resolved) >= home_size)
            continue;
        strcpy(home, resolved);
        return 0;
    }
    return -1;
}

int jvm_locate_libjvm(const struct shim_setting *explicit_setting, char *out, size_t out_size)
{
    static const char *const distro_defaults[] = {
        "/usr/lib/jvm/default-java" LIBJVM_UNDER_HOME,
        "/usr/lib/jvm/jre" LIBJVM_UNDER_HOME,
    };
    struct tried_list tried = {.count = 0};
    const char *java_home = getenv("JAVA_HOME");
    char home[PATH_MAX];
    size_t i;
    int n;

    if (explicit_setting->value[0] != '\0') {
        if (access(explicit_setting->value, R_OK) == 0 && strlen(explicit_setting->value) < out_size) {
            strcpy(out, explicit_setting->value);
            return 0;
        }
        shim_log(SHIM_LOG_ERROR, "libjvm from %s: %s: %s", explicit_setting->origin,
                 explicit_setting->value, strerror(errno));
        return -1;
    }
    if (java_home != NULL && *java_home && try_java_home(&tried, java_home, out, out_size) == 0)
        return 0;
    if (java_home_from_path(home, sizeof home) == 0 && try_java_home(&tried, home, out, out_size) == 0)
        return 0;
    for (i = 0; i < sizeof distro_defaults / sizeof distro_defaults[0]; i++)
        if (try_candidate(&tried, distro_defaults[i], out, out_size) == 0)
            return 0;

    shim_log(SHIM_LOG_ERROR,
             "no Java 17+ runtime found: set IVP2P_LIBJVM (or jvm.libjvm in the config file) "
             "to the path of libjvm.so, or JAVA_HOME. Tried:");
    for (n = 0; n < tried.count; n++)
        shim_log(SHIM_LOG_ERROR, "  %s", tried.paths[n]);
    return -1;
}

int jvm_locate_jar_dir(const struct shim_setting *explicit_setting, char *out, size_t out_size)
{
    Dl_info info;
    char self[PATH_MAX];
    char *slash;

    if (explicit_setting->value[0] != '\0') {
        if (strlen(explicit_setting->value) >= out_size)
            return -1;
        strcpy(out, explicit_setting->value);
        return 0;
    }
    /* Any symbol of this library names the file it was loaded from. */
    if (dladdr((void *)&iv_avt_p2p_init, &info) == 0 || info.dli_fname == NULL ||
        realpath(info.dli_fname, self) == NULL) {
        shim_log(SHIM_LOG_ERROR, "cannot tell where libiv_p2p.so is installed; "
                                 "set IVP2P_JAR_DIR to the engine jar directory");
        return -1;
    }
    slash = strrchr(self, '/');
    if (slash == NULL)
        return -1;
    *slash = '\0';
    if (snprintf(out, out_size, "%s/ivp2p", self) >= (int)out_size)
        return -1;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int jvm_locate_class_path(const char *jar_dir, const char *extra, char *out, size_t out_size)
{
    char *names[256];
    int count = 0, i;
    size_t used;
    struct dirent *entry;
    DIR *dir = opendir(jar_dir);

    if (dir == NULL) {
        shim_log(SHIM_LOG_ERROR, "engine jar directory %s: %s (set IVP2P_JAR_DIR or install "
                 "the jars next to libiv_p2p.so)", jar_dir, strerror(errno));
        return -1;
    }
    while ((entry = readdir(dir)) != NULL && count < (int)(sizeof names / sizeof names[0])) {
        size_t len = strlen(entry->d_name);
        if (len > 4 && strcmp(entry->d_name + len - 4, ".jar") == 0)
            names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    /* Sorted, so the class path (and which duplicate class wins) is reproducible. */
    qsort(names, (size_t)count, sizeof names[0], compare_names);

    used = (size_t)snprintf(out, out_size, "-Djava.class.path=");
    for (i = 0; i < count; i++) {
        if (names[i] != NULL && used < out_size)
            used += (size_t)snprintf(out + used, out_size - used, "%s%s/%s", i ? ":" : "",
                                     jar_dir, names[i]);
        free(names[i]);
    }
    if (extra != NULL && *extra && used < out_size)
        used += (size_t)snprintf(out + used, out_size - used, "%s%s", count ? ":" : "", extra);
    if (used >= out_size) {
        shim_log(SHIM_LOG_ERROR, "class path longer than %zu bytes", out_size);
        return -1;
    }
    if (count == 0)
        shim_log(SHIM_LOG_ERROR, "no engine jars (*.jar) in %s (set IVP2P_JAR_DIR or install "
                 "the jars next to libiv_p2p.so)", jar_dir);
    return count;
}
