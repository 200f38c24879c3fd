package io.ivp2p.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the vendor logging settings ({@code log_level}, {@code log_file_path},
 * {@code log_file_size} of {@code p2p_init_params_s}) to logback, in code, so that an integrator
 * embedding libiv_p2p never has to ship or know about a logback configuration file.
 *
 * <p>The C API allows init/exit/init any number of times in one process, so every call replaces
 * the root logger's appenders and stops the old ones (closing their files) before anything new is
 * opened: two appenders on the same file would each count only their own bytes and break the
 * size bound. Calls are serialised because init and exit may race on different native threads.
 */
public final class LogSetup {

    /** Name of the log file inside the vendor's {@code log_file_path} directory. */
    public static final String FILE_NAME = "ivp2p.log";

    /** Layout shared by the console and the file. */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";

    static final String CONSOLE_APPENDER_NAME = "ivp2p-stderr";
    static final String FILE_APPENDER_NAME = "ivp2p-file";

    /** Level of the default configuration: problems only, as a library should be by default. */
    static final Level DEFAULT_LEVEL = Level.WARN;

    private LogSetup() {
    }

    /**
     * Replaces the current logging configuration with {@code settings}. Never fails because of
     * the log directory: if it cannot be used, output goes to stderr and one warning says why.
     */
    public static synchronized void apply(LogSettings settings) {
        Objects.requireNonNull(settings, "settings");
        LoggerContext ctx = loggerContext();
        if (ctx == null) {
            return;
        }
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();

        Level level = toLogback(settings.vendorLevel());
        Appender<ILoggingEvent> appender = null;
        String problem = null;
        Path dir = settings.directory();
        // DISABLE writes nothing, so it does not create or even probe a file on the device's flash.
        if (dir != null && level != Level.OFF) {
            problem = unusableReason(dir);
            if (problem == null) {
                SizeCappedFileAppender file = fileAppender(ctx, dir.resolve(FILE_NAME), settings.maxFileBytes());
                if (file.isStarted()) {
                    appender = file;
                } else {
                    problem = "cannot open " + file.getFile() + ": " + file.startFailure();
                }
            }
        }
        if (appender == null) {
            appender = consoleAppender(ctx);
        }
        root.addAppender(appender);
        root.setLevel(level);

        // Sent straight to the appender rather than through a logger: an integrator who chose
        // ERROR still has to learn that the file they asked for is not being written.
        if (problem != null) {
            String message = "Log directory " + dir + " is unusable (" + problem + "); logging to stderr instead";
            appender.doAppend(new LoggingEvent(LogSetup.class.getName(), ctx.getLogger(LogSetup.class),
                    Level.WARN, message, null, null));
        }
    }

    /**
     * Flushes and closes any log file and returns to the default configuration: stderr, WARN.
     * Meant for {@code p2p_exit}, so that no file handle outlives the API session.
     */
    public static synchronized void reset() {
        LoggerContext ctx = loggerContext();
        if (ctx != null) {
            installDefault(ctx);
        }
    }

    /** Shared with {@link DefaultConfigurator}, which runs while logback is still initialising. */
    static void installDefault(LoggerContext ctx) {
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(consoleAppender(ctx));
        root.setLevel(DEFAULT_LEVEL);
    }

    static Level toLogback(int vendorLevel) {
        return switch (vendorLevel) {
            case LogSettings.DISABLE -> Level.OFF;
            case LogSettings.ERROR -> Level.ERROR;
            case LogSettings.WARN -> Level.WARN;
            case LogSettings.INFO -> Level.INFO;
            case LogSettings.DEBUG -> Level.DEBUG;
            case LogSettings.VERBOSE -> Level.TRACE;
            default -> throw new IllegalArgumentException("log level must be 0..5, got " + vendorLevel);
        };
    }

    // Another SLF4J provider on the classpath means the integrator configures logging
    // themselves; overriding it is not ours to do, and failing p2p_init over it would be worse.
    private static LoggerContext loggerContext() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext ctx ? ctx : null;
    }

    private static String unusableReason(Path dir) {
        if (!Files.exists(dir)) {
            return "does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return "is not a directory";
        }
        if (!Files.isWritable(dir)) {
            return "is not writable";
        }
        return null;
    }

    private static ConsoleAppender<ILoggingEvent> consoleAppender(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setName(CONSOLE_APPENDER_NAME);
        appender.setContext(ctx);
        appender.setTarget("System.err");
        // The platform charset is what the terminal or the integrator's log collector expects.
        appender.setEncoder(encoder(ctx, null));
        appender.start();
        return appender;
    }

    private static SizeCappedFileAppender fileAppender(LoggerContext ctx, Path file, long maxFileBytes) {
        SizeCappedFileAppender appender = new SizeCappedFileAppender();
        appender.setName(FILE_APPENDER_NAME);
        appender.setContext(ctx);
        appender.setFile(file);
        appender.setMaxFileBytes(maxFileBytes);
        // Fixed rather than the platform default: truncation of oversized events cuts on UTF-8
        // character boundaries, and the files read the same whichever device wrote them.
        appender.setEncoder(encoder(ctx, StandardCharsets.UTF_8));
        appender.start();
        return appender;
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, Charset charset) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        if (charset != null) {
            encoder.setCharset(charset);
        }
        encoder.start();
        return encoder;
    }
}
