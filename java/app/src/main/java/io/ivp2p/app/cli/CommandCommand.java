package io.ivp2p.app.cli;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pException;

/**
 * {@code command}: send {@code --text} or {@code --hex} to the device's command_cb
 * {@code --count} times; per command {@code reply bytes=N text=..|hex=.. ms=T} or an error line.
 */
final class CommandCommand implements Command {
    @Override
    public Set<String> options() {
        return Set.of("text", "hex", "count");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure {
        CliOptions o = ctx.options;
        if (o.has("text") == o.has("hex")) {
            throw new UsageException("command: give exactly one of --text and --hex");
        }
        byte[] msg;
        if (o.has("text")) {
            msg = o.get("text", "").getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                msg = HexFormat.of().parseHex(o.get("hex", ""));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--hex: " + e.getMessage());
            }
        }
        int count = o.getInt("count", 1, 1, 1_000_000);
        P2pClient c = ctx.newClient(ctx.uid);
        try {
            int h = ctx.connect(c);
            if (h < 0) {
                throw new CliContext.CliFailure(h, "connect");
            }
            int failures = 0;
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                try {
                    byte[] reply = c.command(h, msg, ctx.timeoutMs);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    ctx.println("reply bytes=" + reply.length + " " + Printable.field(reply) + " ms=" + ms);
                } catch (P2pException e) {
                    ctx.error(e.code(), null);
                    failures++;
                }
            }
            c.disconnect(h);
            return failures == 0 ? 0 : 2;
        } finally {
            c.deInit();
        }
    }
}
