package io.ivp2p.app.cli;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;

/**
 * {@code serve}: connect and answer the device's commands with {@code --reply-prefix} + message
 * (after {@code --delay-ms}), printing {@code device-command bytes=N text=..|hex=..} for each,
 * until {@code --seconds} passed or the session closed; then
 * {@code serve commands=N end=time|closed [code=C]}. With {@code --params}, a stream on
 * {@code --channel} is kept open and read meanwhile (its line comes before the serve line).
 */
final class ServeCommand implements Command {
    @Override
    public Set<String> options() {
        return Set.of("reply-prefix", "delay-ms", "seconds", "channel", "params");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure, InterruptedException {
        CliOptions o = ctx.options;
        byte[] prefix = o.get("reply-prefix", "").getBytes(StandardCharsets.UTF_8);
        long delayMs = o.getLong("delay-ms", 0, 0, 3_600_000);
        double seconds = o.getDouble("seconds", 0, 0);
        int channel = o.getInt("channel", 1, 1, 7);
        AtomicInteger commands = new AtomicInteger();
        P2pClient c = ctx.newClient(ctx.uid);
        try {
            // Client-wide, before connecting: a command right after WELCOME is answered too.
            c.setCommandHandler((handle, msg) -> {
                commands.incrementAndGet();
                ctx.println("device-command bytes=" + msg.length + " " + Printable.field(msg));
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                byte[] reply = new byte[prefix.length + msg.length];
                System.arraycopy(prefix, 0, reply, 0, prefix.length);
                System.arraycopy(msg, 0, reply, prefix.length, msg.length);
                return reply;
            });
            long t0 = System.nanoTime();
            int h = ctx.connect(c);
            if (h < 0) {
                throw new CliContext.CliFailure(h, "connect");
            }
            ctx.println("connected handle=" + h + " peer=" + ConnectCommand.peerName(c, h) + " ms="
                    + (System.nanoTime() - t0) / 1_000_000);
            Thread reader = null;
            AtomicReference<StreamPump.Result> streamResult = new AtomicReference<>();
            if (o.has("params")) {
                StreamCommand.openStream(ctx, c, h, channel, o.get("params", null));
                StreamPump pump = new StreamPump(c, h, channel, Integer.MAX_VALUE);
                reader = new Thread(() -> {
                    try {
                        streamResult.set(pump.run());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "cli-serve-stream");
                reader.setDaemon(true);
                reader.start();
            }
            long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
            int state;
            while ((state = c.activeCheck(h)) == P2pError.SUCCESSFUL && System.nanoTime() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(50); // a CLI waiting for the clock or the session's end
            }
            if (reader != null) {
                StreamCommand.closeQuietly(c, h, channel);
                reader.join(TimeUnit.MILLISECONDS.toMillis(ctx.timeoutMs));
                StreamPump.Result r = streamResult.get();
                if (r != null && r.error() == 0) {
                    ctx.println("stream channel=" + channel + " bytes=" + r.bytes() + " end=" + r.end() + " sha256="
                            + r.sha256());
                } else if (r != null) {
                    ctx.error(r.error(), "channel=" + channel + " bytes=" + r.bytes());
                }
            }
            ctx.println("serve commands=" + commands.get() + (state == P2pError.SUCCESSFUL ? " end=time"
                    : " end=closed code=" + state));
            c.disconnect(h);
            return 0;
        } finally {
            c.deInit();
        }
    }
}
