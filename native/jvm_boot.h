/*
 * jvm_boot - the process's one JVM: created lazily by the first
 * iv_avt_p2p_init on a thread the shim owns, kept for the life of the
 * process (a JVM cannot be created again after DestroyJavaVM, so init/exit
 * cycles reuse it), and threads calling in attached as daemons once.
 *
 * JVM options, in order: -Xrs (the firmware keeps SIGINT/SIGTERM/SIGHUP/
 * SIGQUIT), -Xmx64m (a bounded heap: the default let RSS pass 1 GB under
 * callback churn), -XX:+UseSerialGC (no parallel GC threads on a 1-2 core
 * camera), -XX:-UsePerfData (no hsperfdata file on the firmware's /tmp),
 * the class path, JNA's settings (use the libjnidispatch.so installed in the
 * jar directory, never extract one to a temp dir), then jvm.options /
 * IVP2P_JVM_OPTIONS, which may override any of these (e.g. -Xmx128m).
 * Unknown options are refused, not ignored.
 */
#ifndef IVP2P_JVM_BOOT_H
#define IVP2P_JVM_BOOT_H

#include <jni.h>

/* Starts the JVM if this process has none yet and attaches the calling
 * thread. Returns IV_ERR_NONE with *env set, or IV_ERR_AVT_FAILED after
 * logging why (no libjvm, no jars, the JVM refused to start, ...). Failures
 * before the JVM was created are retried on the next call; once creation was
 * attempted and failed, every later call fails fast with the same log. */
int jvm_boot_and_attach(JNIEnv **env);

/* Attaches the calling thread if the JVM runs. Returns 0 with *env set, or
 * -1 when no JVM has been started (nothing was ever initialised). */
int jvm_attach_if_running(JNIEnv **env);

#endif
