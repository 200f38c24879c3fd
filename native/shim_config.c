#include "shim_config.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim_log.h"

struct shim_key {
    const char *file_key;
    const char *env_name;
    size_t offset;
};

#define SETTING(member) offsetof(struct shim_config, member)

static const struct shim_key shim_keys[] = {
    {"jvm.libjvm", "IVP2P_LIBJVM", SETTING(libjvm)},
    {"jvm.jar_dir", "IVP2P_JAR_DIR", SETTING(jar_dir)},
    {"jvm.classpath", "IVP2P_CLASSPATH", SETTING(classpath)},
    {"jvm.options", "IVP2P_JVM_OPTIONS", SETTING(options)},
};
#define SHIM_KEY_COUNT (sizeof shim_keys / sizeof shim_keys[0])

static struct shim_setting *setting_of(struct shim_config *cfg, const struct shim_key *key)
{
    return (struct shim_setting *)((char *)cfg + key->offset);
}

static int set_value(struct shim_setting *s, const char *value, const char *origin)
{
    if (strlen(value) >= sizeof s->value) {
        shim_log(SHIM_LOG_ERROR, "%s: value longer than %d bytes", origin,
                 SHIM_CONFIG_VALUE_MAX - 1);
        return -1;
    }
    strcpy(s->value, value);
    snprintf(s->origin, sizeof s->origin, "%s", origin);
    return 0;
}

static char *trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int parse_line(struct shim_config *cfg, char *line, const char *path, int lineno)
{
    char origin[160];
    char known[SHIM_KEY_COUNT * 24]; /* the key names above are under 20 bytes each */
    char *eq, *key, *value;
    size_t i;

    line = trim(line);
    if (*line == '\0' || *line == '#')
        return 0;
    eq = strchr(line, '=');
    if (eq == NULL) {
        shim_log(SHIM_LOG_ERROR, "%s:%d: expected 'key = value'", path, lineno);
        return -1;
    }
    *eq = '\0';
    key = trim(line);
    value = trim(eq + 1);
    for (i = 0; i < SHIM_KEY_COUNT; i++) {
        if (strcmp(key, shim_keys[i].file_key) == 0) {
            snprintf(origin, sizeof origin, "%s:%d (%s)", path, lineno, key);
            return set_value(setting_of(cfg, &shim_keys[i]), value, origin);
        }
    }
    /* device.* keys are the engine's, and it checks them the same way. */
    if (strncmp(key, "device.", 7) == 0)
        return 0;
    /* A typo would otherwise leave a setting silently unapplied (the JVM options, say): refuse it,
     * as the engine refuses a misspelt device.* key. */
    known[0] = '\0';
    for (i = 0; i < SHIM_KEY_COUNT; i++) {
        strcat(known, shim_keys[i].file_key);
        strcat(known, ", ");
    }
    shim_log(SHIM_LOG_ERROR, "%s:%d: unknown key '%s' (known: %sand the engine's device.* keys)", path,
             lineno, key, known);
    return -1;
}

static int load_file(struct shim_config *cfg)
{
    const char *explicit_path = getenv("IVP2P_CONFIG");
    const char *path = explicit_path && *explicit_path ? explicit_path : SHIM_CONFIG_DEFAULT_PATH;
    char line[SHIM_CONFIG_VALUE_MAX + 256];
    int lineno = 0, rc = 0;
    FILE *f = fopen(path, "r");

    if (f == NULL) {
        if (path == explicit_path) {
            shim_log(SHIM_LOG_ERROR, "IVP2P_CONFIG=%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        return 0; /* no default config file: environment and defaults only */
    }
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            shim_log(SHIM_LOG_ERROR, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        rc = parse_line(cfg, line, path, lineno);
    }
    fclose(f);
    return rc;
}

int shim_config_load(struct shim_config *cfg)
{
    size_t i;

    memset(cfg, 0, sizeof *cfg);
    if (load_file(cfg) != 0)
        return -1;
    for (i = 0; i < SHIM_KEY_COUNT; i++) {
        const char *env = getenv(shim_keys[i].env_name);
        if (env != NULL && *env != '\0' &&
            set_value(setting_of(cfg, &shim_keys[i]), env, shim_keys[i].env_name) != 0)
            return -1;
    }
    return 0;
}
