package io.ivp2p.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The start-up diagnosis: each cause we have met is named for what the developer must do. */
class NativeEntryBootTest {
    private static final String PATH = "/opt/ivp2p/lib/ivp2p";

    @Test
    void aMissingStubSaysWhereToInstallItAndKeepsJnasReason() {
        String m = NativeEntry.bootFailure(new UnsatisfiedLinkError(
                "Unable to locate JNA native support library"), PATH);
        assertTrue(m.startsWith("JNA's native stub did not load (jna.boot.library.path=" + PATH + ")"), m);
        assertTrue(m.endsWith("(Unable to locate JNA native support library)"), m);
    }

    @Test
    void aStubFailureWrappedInAnInitErrorIsStillNamedAsSuch() {
        Throwable t = new ExceptionInInitializerError(new UnsatisfiedLinkError("wrong ELF class: ELFCLASS32"));
        assertTrue(NativeEntry.bootFailure(t, PATH).contains("ELFCLASS32"));
        assertTrue(NativeEntry.bootFailure(t, PATH).startsWith("JNA's native stub did not load"));
    }

    @Test
    void aJdkClassMissingPointsAtTheRuntimesModulesNotAtTheStub() {
        String m = NativeEntry.bootFailure(new NoClassDefFoundError("java/util/logging/Logger"), PATH);
        assertTrue(m.startsWith("the Java runtime lacks a module the engine needs"
                + " (java/util/logging/Logger is missing)"), m);
        assertTrue(m.contains("java.logging"), m);
    }

    @Test
    void anythingElseIsNamedAsThrown() {
        assertEquals("JNA did not start (jna.boot.library.path=null): java.lang.NoClassDefFoundError:"
                + " com/sun/jna/Native", NativeEntry.bootFailure(new NoClassDefFoundError("com/sun/jna/Native"), null));
        assertEquals("JNA did not start (jna.boot.library.path=" + PATH + "): java.lang.IllegalStateException: x",
                NativeEntry.bootFailure(new IllegalStateException("x"), PATH));
    }
}
