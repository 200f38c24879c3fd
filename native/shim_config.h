/*
 * shim_config - the JVM settings the shim needs before any Java runs.
 *
 * Sources, later ones winning:
 *   1. the ivp2p config file: $IVP2P_CONFIG, else /etc/ivp2p/ivp2p.conf
 *      (a missing default file is fine; a missing $IVP2P_CONFIG is an error).
 *      Lines are "key = value"; '#' starts a comment. The shim reads the
 *      jvm.* keys below and leaves the others to the Java engine.
 *   2. environment variables.
 *
 *   key             environment         meaning
 *   jvm.libjvm      IVP2P_LIBJVM        path of libjvm.so (else JAVA_HOME, java on PATH, distro default)
 *   jvm.jar_dir     IVP2P_JAR_DIR       directory of the engine jars and libjnidispatch.so
 *                                       (default: ivp2p/ next to libiv_p2p.so)
 *   jvm.classpath   IVP2P_CLASSPATH     extra class path entries, ':'-separated, appended
 *   jvm.options     IVP2P_JVM_OPTIONS   extra JVM options, space-separated, after the defaults
 */
#ifndef IVP2P_SHIM_CONFIG_H
#define IVP2P_SHIM_CONFIG_H

#define SHIM_CONFIG_DEFAULT_PATH "/etc/ivp2p/ivp2p.conf"
#define SHIM_CONFIG_VALUE_MAX 4096

struct shim_setting {
    char value[SHIM_CONFIG_VALUE_MAX]; /* "" when unset */
    char origin[160];                  /* where value came from, for log lines */
};

struct shim_config {
    struct shim_setting libjvm;
    struct shim_setting jar_dir;
    struct shim_setting classpath;
    struct shim_setting options;
};

/* Fills cfg. Returns 0, or -1 after logging why (unreadable explicit file,
 * malformed line, value too long). */
int shim_config_load(struct shim_config *cfg);

#endif
