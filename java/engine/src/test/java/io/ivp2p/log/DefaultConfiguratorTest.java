package io.ivp2p.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultConfiguratorTest {

    @AfterEach
    void restoreDefault() {
        LogSetup.reset();
    }

    @Test
    void isRegisteredAsALogbackConfiguratorService() {
        List<Class<?>> found = ServiceLoader.load(Configurator.class).stream()
                .<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertTrue(found.contains(DefaultConfigurator.class), found.toString());
    }

    @Test
    void configuresStderrAtWarnAndStopsTheChain() {
        LoggerContext ctx = new LoggerContext();
        DefaultConfigurator configurator = new DefaultConfigurator();
        configurator.setContext(ctx);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(ctx));

        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class,
                root.getAppender(LogSetup.CONSOLE_APPENDER_NAME));
        assertEquals("System.err", console.getTarget());
        ctx.stop();
    }

    @Test
    void aFreshJvmPrintsOnlyItsWarningsAndNoLogbackStatus() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(),
                "-cp", System.getProperty("java.class.path"),
                QuietStartProbe.class.getName())
                .start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));

        assertEquals(0, process.waitFor());
        String out = stdout.get();
        String err = stderr.get();

        assertEquals("", out);
        List<String> lines = err.lines().toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main\\] io\\.ivp2p\\.probe - visible warn"),
                err);
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), Charset.defaultCharset());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
