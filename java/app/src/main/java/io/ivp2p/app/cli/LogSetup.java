package io.ivp2p.app.cli;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/** The CLI's logging: one level, to stderr (stdout carries the results that tests parse). */
final class LogSetup {
    private LogSetup() {}

    /** OFF, ERROR, WARN, INFO, DEBUG or TRACE (any case); null if {@code name} is none of them. */
    static Level level(String name) {
        return switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "OFF" -> Level.OFF;
            case "ERROR" -> Level.ERROR;
            case "WARN" -> Level.WARN;
            case "INFO" -> Level.INFO;
            case "DEBUG" -> Level.DEBUG;
            case "TRACE" -> Level.TRACE;
            default -> null;
        };
    }

    static void toStderr(Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext lc)) {
            return; // another slf4j binding: its configuration applies
        }
        lc.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(lc);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(lc);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
    }
}
