package io.ivp2p.app.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pException;

/**
 * {@code stream}: open a stream, read it until it ends, {@code --bytes}, or {@code --seconds};
 * print {@code stream channel=C bytes=N end=ended|limit|time sha256=HEX}.
 */
final class StreamCommand implements Command {
    @Override
    public Set<String> options() {
        return Set.of("channel", "params", "out", "bytes", "seconds", "read-rate", "close-after-bytes", "stall-ms");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure, InterruptedException {
        CliOptions o = ctx.options;
        int channel = o.getInt("channel", 1, 1, 7);
        String params = o.require("params");
        P2pClient c = ctx.newClient(ctx.uid);
        try (OutputStream out = o.has("out") ? new BufferedOutputStream(new FileOutputStream(o.get("out", null)))
                : null) {
            int h = ctx.connect(c);
            if (h < 0) {
                throw new CliContext.CliFailure(h, "connect");
            }
            StreamPump pump = pump(ctx, c, h, channel);
            pump.out = out;
            openStream(ctx, c, h, channel, params);
            StreamPump.Result r = pump.run();
            if (r.error() != 0) {
                throw new CliContext.CliFailure(r.error(), "stream after " + r.bytes() + " bytes");
            }
            if (!r.end().equals("ended")) {
                closeQuietly(c, h, channel);
            }
            ctx.println("stream channel=" + channel + " bytes=" + r.bytes() + " end=" + r.end() + " sha256=" + r.sha256());
            c.disconnect(h);
            return 0;
        } catch (IOException e) {
            throw new UsageException("--out: " + e.getMessage());
        } finally {
            c.deInit();
        }
    }

    /** A pump set up from the stream options (all but --out). */
    static StreamPump pump(CliContext ctx, P2pClient c, int h, int channel) throws UsageException {
        CliOptions o = ctx.options;
        StreamPump p = new StreamPump(c, h, channel, ctx.timeoutMs);
        p.maxBytes = o.getLong("bytes", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        double seconds = o.getDouble("seconds", 0, 0);
        if (seconds > 0) {
            p.deadlineNanos = System.nanoTime() + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
        }
        p.readRate = o.getDouble("read-rate", 0, 0);
        p.closeAfterBytes = o.getLong("close-after-bytes", -1, 0, Long.MAX_VALUE);
        p.stallMs = o.getLong("stall-ms", 0, 0, 3_600_000);
        return p;
    }

    static void openStream(CliContext ctx, P2pClient c, int h, int channel, String params)
            throws CliContext.CliFailure {
        try {
            c.openStream(h, channel, params, ctx.timeoutMs);
        } catch (P2pException e) {
            throw new CliContext.CliFailure(e.code(), "open stream on channel " + channel);
        }
    }

    static void closeQuietly(P2pClient c, int h, int channel) {
        try {
            c.closeStream(h, channel);
        } catch (P2pException e) {
            // the session is going away anyway
        }
    }
}
