package io.ivp2p.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.ivp2p.app.P2pError;
import io.ivp2p.app.P2pException;

/**
 * The viewer's HTTP side (the JDK's HTTP server): the page, HTTP-FLV of the live view and of
 * playback, and a small JSON API. Routes and replies are in java/viewer/README.md.
 *
 * <p>Threads: one per request from a fixed pool; a streaming response holds its thread, so the
 * number of streams is capped ({@link #MAX_LIVE_CLIENTS}) and the pool is larger than the cap:
 * the API and the page always have threads left.
 */
final class HttpFrontend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpFrontend.class);
    static final int MAX_LIVE_CLIENTS = 8;
    static final int THREADS = MAX_LIVE_CLIENTS + 8;
    /** How far one live client may fall behind (about 14 s of the sample's high clip) before it is dropped. */
    static final long LIVE_CLIENT_LIMIT_BYTES = 1 << 20;
    static final int COMMAND_TIMEOUT_MS = 5000;
    static final int MAX_COMMAND_BYTES = 64 * 1024;
    private static final String WEB = "/io/ivp2p/viewer/web/";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "LICENSE", "text/plain; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService pool;
    private final DeviceLink link;
    private final LiveRelay live;
    private final Playback playback;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger liveClients = new AtomicInteger();
    private final boolean loopbackOnly;

    HttpFrontend(InetSocketAddress bind, DeviceLink link, LiveRelay live, Playback playback) throws IOException {
        this.link = link;
        this.live = live;
        this.playback = playback;
        this.server = HttpServer.create(bind, 64);
        this.loopbackOnly = bind.getAddress() != null && bind.getAddress().isLoopbackAddress();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ivp2p-viewer-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", ex -> handle(ex, this::file));
        server.createContext("/live.flv", ex -> handle(ex, this::liveFlv));
        server.createContext("/playback.flv", ex -> handle(ex, this::playbackFlv));
        server.createContext("/api/status", ex -> handle(ex, this::status));
        server.createContext("/api/command", ex -> handle(ex, this::command));
        server.createContext("/api/recordings", ex -> handle(ex, this::recordings));
    }

    void start() {
        server.start();
    }

    /** The address it listens on (the port is chosen when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        // Streams have ended already (Viewer.close); no interrupt for requests still running, since
        // an SDK call interrupted midway fails with an exception. Commands end within their timeout.
        pool.shutdown();
        try {
            if (!pool.awaitTermination(COMMAND_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS)) {
                log.warn("HTTP requests still running at exit: {}", pool.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Route {
        void serve(HttpExchange ex) throws IOException, InterruptedException;
    }

    /** Common headers, and no exception leaves without an answer and a log line. */
    private void handle(HttpExchange ex, Route route) {
        try (ex) {
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            if (loopbackOnly && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                // DNS rebinding: a web site that points its name at 127.0.0.1 would otherwise be
                // same-origin with the viewer and could drive the camera.
                json(ex, 403, error("Host header must name this machine (localhost, 127.0.0.1 or [::1])",
                        P2pError.INVALID_PARAMETER));
                return;
            }
            route.serve(ex);
        } catch (IOException e) {
            log.debug("{} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString()); // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            try {
                json(ex, 500, error("internal error: " + e, P2pError.INVALID_PARAMETER));
            } catch (IOException | IllegalStateException ignored) {
                // headers were sent already: closing the exchange ends the response
            }
        }
    }

    // ------------------------------------------------------------------------------ the page

    private void file(HttpExchange ex) throws IOException {
        if (!method(ex, "GET")) {
            return;
        }
        String path = ex.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        byte[] body = FILE_NAME.matcher(name).matches() ? load(name) : null;
        if (body == null) {
            json(ex, 404, error("no such page: " + path, P2pError.INVALID_PARAMETER));
            return;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? name : name.substring(dot + 1);
        ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private byte[] load(String name) throws IOException {
        byte[] cached = files.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = HttpFrontend.class.getResourceAsStream(WEB + name)) {
            if (in == null) {
                return null;
            }
            byte[] b = in.readAllBytes();
            files.put(name, b);
            return b;
        }
    }

    // ------------------------------------------------------------------------------ streams

    private void liveFlv(HttpExchange ex) throws IOException, InterruptedException {
        if (!method(ex, "GET")) {
            return;
        }
        DeviceLink.Status st = link.status();
        if (st.state() != DeviceLink.State.CONNECTED) {
            // At once rather than an open response with no data: the player retries on its own.
            json(ex, 503, error("not connected to camera " + st.deviceId()
                    + (st.lastError() == null ? "" : " (" + st.lastError() + ")"), P2pError.DEVICE_NOT_ONLINE));
            return;
        }
        if (liveClients.incrementAndGet() > MAX_LIVE_CLIENTS) {
            liveClients.decrementAndGet();
            json(ex, 503, error("already " + MAX_LIVE_CLIENTS + " live clients", P2pError.MAX_SESSION));
            return;
        }
        Subscriber s = live.subscribe(ex.getRemoteAddress().toString());
        String why = "the client went away";
        try {
            flvHeaders(ex);
            ex.sendResponseHeaders(200, 0); // chunked, endless
            OutputStream out = ex.getResponseBody();
            while (true) {
                byte[] b = s.take(1000);
                if (b != null) {
                    out.write(b);
                    if (s.queuedBytes() == 0) {
                        out.flush();
                    }
                }
            }
        } catch (Subscriber.ClosedException e) {
            why = e.getMessage();
        } finally {
            live.unsubscribe(s, why);
            liveClients.decrementAndGet();
        }
    }

    private void playbackFlv(HttpExchange ex) throws IOException, InterruptedException {
        if (!method(ex, "GET")) {
            return;
        }
        Map<String, String> q = query(ex.getRequestURI());
        Playback.Request r;
        try {
            r = new Playback.Request(number(q, "start_time", -1), number(q, "end_time", -1),
                    (int) number(q, "speed", 1));
        } catch (IllegalArgumentException e) {
            json(ex, 400, error(e.getMessage(), P2pError.INVALID_PARAMETER));
            return;
        }
        boolean[] opened = {false};
        try {
            playback.stream(r, () -> {
                flvHeaders(ex);
                ex.sendResponseHeaders(200, 0);
                opened[0] = true;
            }, ex.getResponseBody());
        } catch (P2pException e) {
            if (!opened[0]) {
                int status = e.code() == P2pError.STREAM_REFUSED ? 404 : statusOf(e.code());
                String msg = e.code() == P2pError.STREAM_REFUSED
                        ? "the camera refused the playback (nothing recorded in that range?): " + e.getMessage()
                        : e.getMessage();
                json(ex, status, error(msg, e.code()));
            }
        }
    }

    private static void flvHeaders(HttpExchange ex) {
        ex.getResponseHeaders().set("Content-Type", "video/x-flv");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    // ------------------------------------------------------------------------------ the API

    private void status(HttpExchange ex) throws IOException {
        if (!method(ex, "GET")) {
            return;
        }
        DeviceLink.Status st = link.status();
        long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        Json.Obj o = new Json.Obj()
                .put("state", st.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("device_id", st.deviceId())
                .put("link_mode", st.linkMode())
                .put("device_address", st.deviceAddress())
                .put("peer", st.peer());
        if (st.connectMs() >= 0) {
            o.put("connect_ms", st.connectMs()).put("connected_for_s", st.connectedForS());
        } else {
            o.putRaw("connect_ms", "null").putRaw("connected_for_s", "null");
        }
        o.put("last_error", st.lastError())
                .put("rtt_ms", st.rttMs())
                .put("command_rtt_ms", st.commandRttMs())
                .putRaw("live", streamJson(live.clients(), live.rate(), now))
                .putRaw("playback", streamJson(playback.clients(), playback.rate(), now));
        json(ex, 200, o.toString());
    }

    private static String streamJson(int clients, RateMeter rate, long nowMs) {
        return new Json.Obj().put("clients", clients).put("rx_bytes", rate.total())
                .put("rx_rate_bps", rate.bitsPerSecond(nowMs)).toString();
    }

    private void command(HttpExchange ex) throws IOException, InterruptedException {
        if (!method(ex, "POST")) {
            return;
        }
        // Only application/json: a cross-site form or "simple" fetch cannot send it without a CORS
        // pre-flight, which this server never allows, so another site open in the browser cannot
        // drive the camera through the viewer.
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            json(ex, 415, error("send the command as Content-Type: application/json", P2pError.INVALID_PARAMETER));
            return;
        }
        byte[] body = ex.getRequestBody().readNBytes(MAX_COMMAND_BYTES + 1);
        if (body.length > MAX_COMMAND_BYTES) {
            json(ex, 413, error("command over " + MAX_COMMAND_BYTES + " bytes", P2pError.INVALID_PARAMETER));
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!Json.isObject(text)) {
            json(ex, 400, error("the command is not a JSON object", P2pError.INVALID_PARAMETER));
            return;
        }
        forward(ex, text.strip());
    }

    private void recordings(HttpExchange ex) throws IOException, InterruptedException {
        if (method(ex, "GET")) {
            forward(ex, "{\"cmd\":\"list_recordings\"}");
        }
    }

    /** Sends a command to the camera and answers with its reply (or why there is none). */
    private void forward(HttpExchange ex, String command) throws IOException, InterruptedException {
        try {
            DeviceLink.Reply r = link.command(command, COMMAND_TIMEOUT_MS);
            String reply = new String(r.body(), StandardCharsets.UTF_8);
            Json.Obj o = new Json.Obj().put("ok", true).put("rtt_ms", r.rttMs());
            if (Json.isObject(reply)) {
                o.putRaw("reply", reply.strip());
            } else {
                o.put("reply_text", reply); // a camera whose replies are not JSON
            }
            json(ex, 200, o.toString());
        } catch (P2pException e) {
            log.info("command {} failed: {}", command, e.getMessage());
            json(ex, statusOf(e.code()), error(e.getMessage(), e.code()));
        }
    }

    /** HTTP status for an SDK error: 504 timeouts, 503 not connected, 502 the rest. */
    private static int statusOf(int code) {
        return switch (code) {
            case P2pError.TIME_OUT -> 504;
            case P2pError.SESSION_CLOSED_CALLED, P2pError.INVALID_SESSION_HANDLE -> 503;
            default -> 502;
        };
    }

    // ------------------------------------------------------------------------------ helpers

    private static boolean method(HttpExchange ex, String want) throws IOException {
        if (ex.getRequestMethod().equals(want)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", want);
        json(ex, 405, error(ex.getRequestMethod() + " not allowed here; use " + want, P2pError.INVALID_PARAMETER));
        return false;
    }

    private static String error(String message, int code) {
        return new Json.Obj().put("ok", false).put("error", message).put("code", code).toString();
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** "localhost", "127.x.y.z" or "[::1]", with any port. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            return h.startsWith("[::1]");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches();
    }

    /** The query's parameters (the last of a repeated name counts). */
    static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String q = uri.getRawQuery();
        if (q == null) {
            return m;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
            }
        }
        return m;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static long number(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null) {
            if (dflt < 0) {
                throw new IllegalArgumentException("missing " + name);
            }
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + v + "' is not a whole number");
        }
    }
}
