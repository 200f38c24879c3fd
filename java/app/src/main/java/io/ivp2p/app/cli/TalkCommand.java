package io.ivp2p.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pException;
import io.ivp2p.control.TalkChunks;

/**
 * {@code talk}: start talk, send {@code --file} in {@code --chunk}-byte chunks (each one
 * recv_voice_cb on the device), {@code --interval-ms} apart, stop talk; print
 * {@code talk chunks=N bytes=N}.
 */
final class TalkCommand implements Command {
    /** 20 ms of 16 kHz 16-bit mono PCM. */
    static final int DEFAULT_CHUNK = 640;

    @Override
    public Set<String> options() {
        return Set.of("channel", "params", "file", "chunk", "interval-ms");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure, InterruptedException {
        CliOptions o = ctx.options;
        int channel = o.getInt("channel", 2, 1, 7);
        String params = o.require("params");
        Path file = Path.of(o.require("file"));
        int chunk = o.getInt("chunk", DEFAULT_CHUNK, 1, TalkChunks.MAX_CHUNK);
        long intervalMs = o.getLong("interval-ms", 0, 0, 60_000);
        P2pClient c = ctx.newClient(ctx.uid);
        try (InputStream in = Files.newInputStream(file)) {
            int h = ctx.connect(c);
            if (h < 0) {
                throw new CliContext.CliFailure(h, "connect");
            }
            try {
                c.startTalk(h, channel, params, ctx.timeoutMs);
            } catch (P2pException e) {
                throw new CliContext.CliFailure(e.code(), "start talk");
            }
            byte[] buf = new byte[chunk];
            long chunks = 0;
            long bytes = 0;
            int n;
            while ((n = in.readNBytes(buf, 0, chunk)) > 0) {
                if (chunks > 0 && intervalMs > 0) {
                    Thread.sleep(intervalMs);
                }
                int w = c.sendTalk(h, channel, buf, n, ctx.timeoutMs);
                if (w < 0) {
                    throw new CliContext.CliFailure(w, "talk chunk " + chunks);
                }
                chunks++;
                bytes += n;
            }
            try {
                c.stopTalk(h, channel, ctx.timeoutMs);
            } catch (P2pException e) {
                throw new CliContext.CliFailure(e.code(), "stop talk");
            }
            ctx.println("talk chunks=" + chunks + " bytes=" + bytes);
            c.disconnect(h);
            return 0;
        } catch (IOException e) {
            throw new UsageException("--file: " + e.getMessage());
        } finally {
            c.deInit();
        }
    }
}
