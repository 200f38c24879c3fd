package io.ivp2p.app.cli;

import java.util.Set;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pException;

/** {@code connect}: connect, print {@code connected handle=H peer=P ms=T}, disconnect. */
final class ConnectCommand implements Command {
    @Override
    public Set<String> options() {
        return Set.of();
    }

    @Override
    public int run(CliContext ctx) throws UsageException, CliContext.CliFailure {
        P2pClient c = ctx.newClient(ctx.uid);
        try {
            long t0 = System.nanoTime();
            int h = ctx.connect(c);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (h < 0) {
                throw new CliContext.CliFailure(h, "connect");
            }
            ctx.println("connected handle=" + h + " peer=" + peerName(c, h) + " ms=" + ms);
            c.disconnect(h);
            return 0;
        } finally {
            c.deInit();
        }
    }

    static String peerName(P2pClient c, int h) {
        try {
            return c.peerName(h);
        } catch (P2pException e) {
            return "";
        }
    }
}
