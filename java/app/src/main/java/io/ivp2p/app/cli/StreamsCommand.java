package io.ivp2p.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;

/**
 * {@code streams}: {@code --apps A} clients (uids {@code <uid>0..}), each one session with
 * {@code --streams S} streams on channels 1..S read concurrently; one line per stream, then
 * {@code total ok=N}. In the params template {@code {app}} is the app's index and {@code {stream}}
 * (or {@code {channel}}) the channel number.
 */
final class StreamsCommand implements Command {
    static final String DEFAULT_TEMPLATE = "action=live&channel={stream}&app={app}";

    @Override
    public Set<String> options() {
        return Set.of("apps", "streams", "params-template", "bytes");
    }

    @Override
    public int run(CliContext ctx) throws UsageException, InterruptedException {
        CliOptions o = ctx.options;
        int apps = o.getInt("apps", 1, 1, 256);
        int streams = o.getInt("streams", 1, 1, 7);
        String template = o.get("params-template", DEFAULT_TEMPLATE);
        long maxBytes = o.getLong("bytes", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Exception> usage = new ArrayList<>();
        for (int a = 0; a < apps; a++) {
            int app = a;
            Thread t = new Thread(() -> {
                try {
                    ok.addAndGet(runApp(ctx, app, streams, template, maxBytes));
                } catch (UsageException e) {
                    synchronized (usage) {
                        usage.add(e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cli-app-" + a);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!usage.isEmpty()) {
            throw (UsageException) usage.get(0);
        }
        ctx.println("total ok=" + ok.get());
        return ok.get() == apps * streams ? 0 : 2;
    }

    /** One app: its session and streams; returns how many streams succeeded. */
    private static int runApp(CliContext ctx, int app, int streams, String template, long maxBytes)
            throws UsageException, InterruptedException {
        P2pClient c;
        try {
            c = ctx.newClient(ctx.uid + app);
        } catch (CliContext.CliFailure e) {
            ctx.error(e.code, "app=" + app);
            return 0;
        }
        try {
            int h = ctx.connect(c);
            if (h < 0) {
                ctx.error(h, "app=" + app);
                return 0;
            }
            AtomicInteger ok = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            for (int ch = 1; ch <= streams; ch++) {
                int channel = ch;
                String params = template.replace("{app}", Integer.toString(app))
                        .replace("{stream}", Integer.toString(channel)).replace("{channel}", Integer.toString(channel));
                Thread t = new Thread(() -> {
                    if (readOne(ctx, c, h, app, channel, params, maxBytes)) {
                        ok.incrementAndGet();
                    }
                }, "cli-app-" + app + "-ch" + channel);
                readers.add(t);
                t.start();
            }
            for (Thread t : readers) {
                t.join();
            }
            c.disconnect(h);
            return ok.get();
        } finally {
            c.deInit();
        }
    }

    private static boolean readOne(CliContext ctx, P2pClient c, int h, int app, int channel, String params,
            long maxBytes) {
        String where = "app=" + app + " channel=" + channel;
        try {
            c.openStream(h, channel, params, ctx.timeoutMs);
        } catch (P2pException e) {
            ctx.error(e.code(), where);
            return false;
        }
        StreamPump p = new StreamPump(c, h, channel, ctx.timeoutMs);
        p.maxBytes = maxBytes;
        StreamPump.Result r;
        try {
            r = p.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.error(P2pError.USER_CONNECT_BREAK, where);
            return false;
        }
        if (r.error() != 0) {
            ctx.error(r.error(), where + " bytes=" + r.bytes());
            return false;
        }
        if (!r.end().equals("ended")) {
            StreamCommand.closeQuietly(c, h, channel);
        }
        ctx.println("stream " + where + " bytes=" + r.bytes() + " end=" + r.end() + " sha256=" + r.sha256());
        return true;
    }
}
