package io.ivp2p.app.cli;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ivp2p.app.P2pClient;

/**
 * {@code reconnect}: connect and disconnect {@code --count} times, {@code --pause-ms} apart; each
 * connect is retried for up to {@code --timeout}. Prints {@code reconnected n=OK} (and an error
 * line per connect that never succeeded).
 */
final class ReconnectCommand implements Command {
    /** Between attempts of one connect: about a probe interval, so a restarting device is not flooded. */
    static final long RETRY_PAUSE_MS = 200;

    @Override
    public Set<String> options() {
        return Set.of("count", "pause-ms");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure, InterruptedException {
        int count = ctx.options.getInt("count", 1, 1, 1_000_000);
        long pauseMs = ctx.options.getLong("pause-ms", 0, 0, 3_600_000);
        P2pClient c = ctx.newClient(ctx.uid);
        int ok = 0;
        try {
            for (int i = 0; i < count; i++) {
                if (i > 0 && pauseMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(pauseMs);
                }
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.timeoutMs);
                int h;
                while (true) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    h = ctx.connect(c, (int) Math.max(1, left));
                    if (h >= 0 || System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
                }
                if (h < 0) {
                    ctx.error(h, "i=" + i);
                    continue;
                }
                c.disconnect(h);
                ok++;
            }
        } finally {
            c.deInit();
        }
        ctx.println("reconnected n=" + ok);
        return ok == count ? 0 : 2;
    }
}
