package io.ivp2p.app.cli;

import java.util.Set;

/** One sub-command of the CLI. */
interface Command {
    /** Options of this sub-command besides the common ones. */
    Set<String> options();

    /** Runs it; returns the exit code (0 success, 2 failure after printing why). */
    int run(CliContext ctx) throws UsageException, CliContext.CliFailure, InterruptedException;
}
