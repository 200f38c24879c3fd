package io.ivp2p.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.status.Status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SizeCappedFileAppenderTest {

    private static final long LIMIT = 4096;
    private static final Logger LOG = LoggerFactory.getLogger("io.ivp2p.test.bound");

    @TempDir
    Path dir;

    @AfterEach
    void restoreDefault() {
        LogSetup.reset();
    }

    @Test
    void fileAndItsRolledCopyStayWithinTwiceTheLimit() throws Exception {
        LogSetup.apply(new LogSettings(LogSettings.VERBOSE, dir, LIMIT));
        int threads = 4;
        int batches = 10;
        int eventsPerThreadPerBatch = 100;

        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            for (int batch = 0; batch < batches; batch++) {
                AtomicBoolean writing = new AtomicBoolean(true);
                // Watches the files while they are written, since the bound must hold at every instant.
                Future<Long> largestSeen = pool.submit(() -> {
                    long largest = 0;
                    while (writing.get()) {
                        largest = Math.max(largest, Math.max(sizeOrZero(log()), sizeOrZero(rolled())));
                    }
                    return largest;
                });
                List<Callable<Void>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = batch * threads + t;
                    writers.add(() -> {
                        for (int i = 0; i < eventsPerThreadPerBatch; i++) {
                            LOG.info("event {} {}", seed * eventsPerThreadPerBatch + i, filler((seed * 7919 + i * 104729) % 700));
                        }
                        return null;
                    });
                }
                for (Future<Void> done : pool.invokeAll(writers)) {
                    done.get();
                }
                writing.set(false);

                assertTrue(largestSeen.get() <= LIMIT, "a file reached " + largestSeen.get() + " bytes in batch " + batch);
                assertWithinLimit();
            }
        } finally {
            pool.shutdownNow();
        }

        LOG.warn("the very last event");
        assertWithinLimit();
        List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
        assertTrue(lines.get(lines.size() - 1).endsWith(" - the very last event"), lines.get(lines.size() - 1));
        assertEquals(Set.of("ivp2p.log", "ivp2p.log.1"), filesInDir());
    }

    @Test
    void oversizedEventIsTruncatedToTheLimitWithATrailingNewline() throws IOException {
        LogSetup.apply(new LogSettings(LogSettings.INFO, dir, LIMIT));

        LOG.info("huge " + filler(10_000));

        byte[] content = Files.readAllBytes(log());
        assertEquals(LIMIT, content.length);
        assertEquals('\n', content[content.length - 1]);
        assertTrue(new String(content, StandardCharsets.UTF_8).contains(" - huge abcdefghij"));

        LOG.info("next");
        assertWithinLimit();
        assertEquals(LIMIT, Files.size(rolled()));
        assertTrue(Files.readString(log()).contains(" - next"));
    }

    @Test
    void truncationDoesNotSplitAMultiByteCharacter() throws IOException {
        LogSetup.apply(new LogSettings(LogSettings.INFO, dir, LIMIT));

        LOG.info("€".repeat(5000));

        byte[] content = Files.readAllBytes(log());
        assertTrue(content.length <= LIMIT && content.length > LIMIT - 4, "size " + content.length);
        assertEquals('\n', content[content.length - 1]);
        assertDoesNotThrow(() -> strictUtf8(content));
    }

    @Test
    void truncateKeepsShortPrefixesIntact() {
        byte[] ascii = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("abc\n".getBytes(StandardCharsets.US_ASCII), SizeCappedFileAppender.truncate(ascii, 4));
        byte[] euro = "a€b".getBytes(StandardCharsets.UTF_8); // 'a', 3 bytes, 'b'
        assertArrayEquals("a\n".getBytes(StandardCharsets.UTF_8), SizeCappedFileAppender.truncate(euro, 4));
        assertArrayEquals("a€\n".getBytes(StandardCharsets.UTF_8), SizeCappedFileAppender.truncate(euro, 5));
    }

    @Test
    void existingFileIsAppendedToAndItsSizeCounts() throws IOException {
        String previousRun = "previous run\n".repeat(230); // 2990 bytes
        Files.writeString(log(), previousRun);
        LogSetup.apply(new LogSettings(LogSettings.INFO, dir, LIMIT));

        LOG.info("small");
        assertTrue(Files.readString(log()).startsWith(previousRun));
        assertTrue(Files.readString(log()).endsWith(" - small\n"));

        LOG.info("big " + filler(1500)); // fits in an empty file, not after the previous run

        assertTrue(Files.readString(rolled()).startsWith(previousRun));
        assertTrue(Files.readString(rolled()).endsWith(" - small\n"));
        assertTrue(Files.readString(log()).contains(" - big "));
        assertFalse(Files.readString(log()).contains("previous run"));
        assertWithinLimit();
    }

    @Test
    void leftoversLargerThanTheLimitAreBroughtWithinItAtStart() throws IOException {
        Files.writeString(log(), "old current line\n".repeat(1000));
        Files.writeString(rolled(), "older rolled line\n".repeat(1000));

        LogSetup.apply(new LogSettings(LogSettings.INFO, dir, LIMIT));
        assertWithinLimit();
        LOG.info("fresh");

        assertWithinLimit();
        assertTrue(Files.readString(rolled()).endsWith("old current line\n"));
        assertTrue(Files.readString(log()).contains(" - fresh"));
        assertEquals(Set.of("ivp2p.log", "ivp2p.log.1"), filesInDir());
    }

    @Test
    void writeErrorsAreReportedOnceAndNeverThrown() throws IOException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(LogSetup.PATTERN);
        encoder.start();
        SizeCappedFileAppender appender = new SizeCappedFileAppender();
        appender.setContext(ctx);
        appender.setName("doomed");
        appender.setEncoder(encoder);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        appender.setFile(sub.resolve("ivp2p.log"));
        appender.setMaxFileBytes(LIMIT);
        appender.start();
        assertTrue(appender.isStarted());
        ch.qos.logback.classic.Logger logger = ctx.getLogger("io.ivp2p.test.doomed");
        logger.setAdditive(false);
        logger.addAppender(appender);
        try {
            // Replace the directory with a file: the roll cannot reopen ivp2p.log.
            Files.delete(sub.resolve("ivp2p.log"));
            Files.delete(sub);
            Files.writeString(sub, "in the way");
            int errorsBefore = errorCount(ctx, appender);

            for (int i = 0; i < 50; i++) {
                assertDoesNotThrow(() -> logger.error("nowhere to go " + filler(500)));
            }

            assertEquals(1, errorCount(ctx, appender) - errorsBefore);
        } finally {
            logger.detachAndStopAllAppenders();
            logger.setAdditive(true);
        }
    }

    private static int errorCount(LoggerContext ctx, Object origin) {
        return (int) ctx.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR && s.getOrigin() == origin)
                .count();
    }

    private void assertWithinLimit() throws IOException {
        assertTrue(sizeOrZero(log()) <= LIMIT, "ivp2p.log is " + sizeOrZero(log()));
        assertTrue(sizeOrZero(rolled()) <= LIMIT, "ivp2p.log.1 is " + sizeOrZero(rolled()));
    }

    private Path log() {
        return dir.resolve("ivp2p.log");
    }

    private Path rolled() {
        return dir.resolve("ivp2p.log.1");
    }

    private Set<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    // Between the rename and the new file's creation ivp2p.log briefly does not exist.
    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static String filler(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    private static void strictUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
    }
}
