package io.ivp2p.log;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.ivp2p.test.setup");

    @TempDir
    Path dir;

    @AfterEach
    void restoreDefault() {
        LogSetup.reset();
    }

    @ParameterizedTest(name = "vendor level {0} -> {1}")
    @CsvSource({
            "0, OFF",
            "1, ERROR",
            "2, WARN",
            "3, INFO",
            "4, DEBUG",
            "5, TRACE"})
    void eachVendorLevelSetsTheRootLevelAndFiltersTheFile(int vendorLevel, String expected) throws IOException {
        LogSetup.apply(LogSettings.fromVendor(vendorLevel, dir.toString(), 0));

        Level level = Level.toLevel(expected);
        assertEquals(level, root().getEffectiveLevel());

        LOG.error("line-at-error");
        LOG.warn("line-at-warn");
        LOG.info("line-at-info");
        LOG.debug("line-at-debug");
        LOG.trace("line-at-trace");

        String file = readIfExists(dir.resolve(LogSetup.FILE_NAME));
        for (Level candidate : List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE)) {
            String line = "line-at-" + candidate.levelStr.toLowerCase();
            assertEquals(candidate.isGreaterOrEqual(level), file.contains(line),
                    line + " at root level " + level + ", file was:\n" + file);
        }
    }

    @Test
    void atWarnAnInfoLineStaysOutOfTheFileWhileAWarnLineGetsIn() throws IOException {
        LogSetup.apply(LogSettings.fromVendor(LogSettings.WARN, dir.toString(), 0));

        LOG.info("quiet info");
        LOG.warn("loud warn");

        String file = Files.readString(dir.resolve(LogSetup.FILE_NAME));
        assertFalse(file.contains("quiet info"), file);
        assertTrue(file.contains("loud warn"), file);
    }

    @Test
    void disabledLoggingDoesNotCreateAFile() {
        LogSetup.apply(LogSettings.fromVendor(LogSettings.DISABLE, dir.toString(), 0));

        LOG.error("nobody hears this");

        assertFalse(Files.exists(dir.resolve(LogSetup.FILE_NAME)));
    }

    @Test
    void logGoesToIvp2pLogInTheGivenDirectoryUsingThePattern() throws IOException {
        LogSetup.apply(LogSettings.fromVendor(LogSettings.INFO, dir.toString(), 0));

        LOG.info("hello camera");
        LOG.error("with a stack trace", new IllegalStateException("boom"));

        List<String> lines = Files.readAllLines(dir.resolve("ivp2p.log"), StandardCharsets.UTF_8);
        assertTrue(lines.get(0).matches(
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+\\] io\\.ivp2p\\.test\\.setup - hello camera"),
                lines.get(0));
        assertTrue(lines.get(1).contains("ERROR") && lines.get(1).endsWith(" - with a stack trace"), lines.get(1));
        assertTrue(lines.get(2).contains("java.lang.IllegalStateException: boom"), lines.get(2));
        assertTrue(lines.stream().anyMatch(l -> l.contains("at io.ivp2p.log.LogSetupTest")), String.join("\n", lines));
    }

    @Test
    void noDirectoryMeansStderr() {
        try (StderrCapture err = new StderrCapture()) {
            LogSetup.apply(LogSettings.fromVendor(LogSettings.INFO, null, 0));
            LOG.info("to the console");

            assertTrue(err.text().contains("INFO  [" + Thread.currentThread().getName() + "]"), err.text());
            assertTrue(err.text().contains(" - to the console"), err.text());
        }
        assertInstanceOf(ConsoleAppender.class, onlyRootAppender());
    }

    @Test
    void missingDirectoryFallsBackToStderrWithOneWarningNamingThePath() {
        Path missing = dir.resolve("no-such-dir");
        try (StderrCapture err = new StderrCapture()) {
            assertDoesNotThrow(() -> LogSetup.apply(LogSettings.fromVendor(LogSettings.INFO, missing.toString(), 0)));
            LOG.info("still logged");

            String text = err.text();
            assertEquals(1, occurrences(text, " WARN "), text);
            assertTrue(text.contains(missing.toString()) && text.contains("does not exist"), text);
            assertTrue(text.contains(" - still logged"), text);
        }
        assertInstanceOf(ConsoleAppender.class, onlyRootAppender());
        assertFalse(Files.exists(missing));
    }

    @Test
    void regularFileAsDirectoryFallsBackToStderrAndWarnsEvenAtErrorLevel() throws IOException {
        Path regular = Files.writeString(dir.resolve("not-a-dir"), "x");
        try (StderrCapture err = new StderrCapture()) {
            assertDoesNotThrow(() -> LogSetup.apply(LogSettings.fromVendor(LogSettings.ERROR, regular.toString(), 0)));
            LOG.warn("below the level");

            String text = err.text();
            assertEquals(1, occurrences(text, " WARN "), text);
            assertTrue(text.contains(regular.toString()) && text.contains("is not a directory"), text);
            assertFalse(text.contains("below the level"), text);
        }
        assertEquals(Level.ERROR, root().getLevel());
        assertEquals("x", Files.readString(regular));
    }

    @Test
    void resetClosesTheFileAndALaterApplyUsesTheNewDirectory() throws IOException {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        Path firstLog = first.resolve(LogSetup.FILE_NAME);

        LogSetup.apply(LogSettings.fromVendor(LogSettings.INFO, first.toString(), 0));
        LOG.info("one");
        Appender<ILoggingEvent> firstAppender = onlyRootAppender();
        assertEquals(1, openDescriptorsTo(firstLog));

        LogSetup.reset();
        assertFalse(firstAppender.isStarted());
        assertEquals(0, openDescriptorsTo(firstLog));
        assertEquals(LogSetup.DEFAULT_LEVEL, root().getLevel());
        long sizeAfterReset = Files.size(firstLog);
        try (StderrCapture err = new StderrCapture()) {
            LOG.warn("after reset");
            assertTrue(err.text().contains("after reset"), err.text());
        }
        assertEquals(sizeAfterReset, Files.size(firstLog));

        LogSetup.apply(LogSettings.fromVendor(LogSettings.INFO, second.toString(), 0));
        LOG.info("two");

        assertEquals(sizeAfterReset, Files.size(firstLog));
        assertFalse(Files.readString(firstLog).contains("two"));
        assertTrue(Files.readString(second.resolve(LogSetup.FILE_NAME)).contains("two"));
    }

    @Test
    void applyingTheSameSettingsRepeatedlyKeepsOneAppenderAndOneOpenFile() throws IOException {
        LogSettings settings = LogSettings.fromVendor(LogSettings.INFO, dir.toString(), 0);
        List<Appender<ILoggingEvent>> replaced = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LogSetup.apply(settings);
            replaced.add(onlyRootAppender());
        }
        LOG.info("written once");

        assertTrue(replaced.subList(0, 4).stream().noneMatch(Appender::isStarted));
        assertTrue(replaced.get(4).isStarted());
        assertEquals(1, occurrences(Files.readString(dir.resolve(LogSetup.FILE_NAME)), "written once"));
        assertEquals(1, openDescriptorsTo(dir.resolve(LogSetup.FILE_NAME)));
    }

    @Test
    void resetReturnsToStderrAtWarn() {
        LogSetup.apply(LogSettings.fromVendor(LogSettings.VERBOSE, dir.toString(), 0));

        LogSetup.reset();

        assertEquals(Level.WARN, root().getLevel());
        ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class, onlyRootAppender());
        assertEquals("System.err", console.getTarget());
    }

    static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    static Appender<ILoggingEvent> onlyRootAppender() {
        Iterator<Appender<ILoggingEvent>> it = root().iteratorForAppenders();
        assertTrue(it.hasNext(), "root has no appender");
        Appender<ILoggingEvent> appender = it.next();
        assertFalse(it.hasNext(), "root has more than one appender");
        return appender;
    }

    static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** Linux only: how many of this process's descriptors point at {@code file}. */
    private static long openDescriptorsTo(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path target = file.toRealPath();
        try (Stream<Path> entries = Files.list(fds)) {
            return entries.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // the descriptor used by Files.list itself is gone by now
                }
            }).count();
        }
    }
}
