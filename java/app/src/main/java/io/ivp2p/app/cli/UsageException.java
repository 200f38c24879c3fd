package io.ivp2p.app.cli;

/** The command line is wrong; the message says how. Exit code 1. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
