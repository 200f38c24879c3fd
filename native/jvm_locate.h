/*
 * jvm_locate - where libjvm.so and the engine jars are.
 *
 * libjvm, first match wins:
 *   1. jvm.libjvm / IVP2P_LIBJVM (shim_config). When set, it must exist:
 *      a wrong explicit setting is an error, never silently replaced.
 *   2. $JAVA_HOME/lib/server/libjvm.so
 *   3. the `java` on PATH, symlinks resolved: <java home>/lib/server/libjvm.so
 *   4. /usr/lib/jvm/default-java/lib/server/libjvm.so, /usr/lib/jvm/jre/lib/server/libjvm.so
 *
 * Engine jars: jvm.jar_dir / IVP2P_JAR_DIR, else the directory "ivp2p" next
 * to the installed libiv_p2p.so.
 */
#ifndef IVP2P_JVM_LOCATE_H
#define IVP2P_JVM_LOCATE_H

#include <stddef.h>

#include "shim_config.h"

/* Returns 0 with the path in out, or -1 after logging every place tried. */
int jvm_locate_libjvm(const struct shim_setting *explicit_setting, char *out, size_t out_size);

/* Returns 0 with the engine jar directory in out, or -1 after logging why. */
int jvm_locate_jar_dir(const struct shim_setting *explicit_setting, char *out, size_t out_size);

/* Builds "-Djava.class.path=<every *.jar in jar_dir, sorted>[:extra]" into
 * out. Returns the number of jars found, or -1 after logging why. */
int jvm_locate_class_path(const char *jar_dir, const char *extra, char *out, size_t out_size);

#endif
