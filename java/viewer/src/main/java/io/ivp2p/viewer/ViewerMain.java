package io.ivp2p.viewer;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ivp2p.app.AppConfig;
import io.ivp2p.app.DeviceKeys;
import io.ivp2p.app.P2pClient;
import io.ivp2p.app.P2pError;

/**
 * {@code ivp2p-viewer}: connects to a camera LAN-first and serves its live view, its recordings and
 * its commands to a browser (java/viewer/README.md). Prints {@code ivp2p-viewer: open <url>} once
 * the page is served; Ctrl-C (SIGINT) or SIGTERM ends the session and the server, then
 * {@code ivp2p-viewer: stopped}. Exit codes: 0 stopped, 1 could not start, 2 bad command line.
 */
public final class ViewerMain {
    private static final Logger log = LoggerFactory.getLogger(ViewerMain.class);

    private ViewerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ViewerOptions o;
        try {
            o = ViewerOptions.parse(args, System.getenv());
        } catch (ViewerOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("ivp2p-viewer: " + e.getMessage());
            }
            System.err.print(ViewerOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        Viewer v;
        try {
            v = Viewer.start(o);
        } catch (IOException | IllegalStateException e) {
            System.err.println("ivp2p-viewer: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            v.close();
            System.out.println("ivp2p-viewer: stopped");
            System.out.flush();
            stopped.countDown();
        }, "ivp2p-viewer-shutdown"));
        InetSocketAddress a = v.httpAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        System.out.println("ivp2p-viewer: open http://" + host + ":" + a.getPort() + "/ (camera " + o.deviceId()
                + ", LAN-first; Ctrl-C stops)");
        System.out.flush();
        stopped.await(); // the shutdown hook ends the process
    }

    /** The running viewer: session, live relay, playback and HTTP server. */
    static final class Viewer implements AutoCloseable {
        private final P2pClient client;
        private final DeviceLink link;
        private final LiveRelay live;
        private final Playback playback;
        private final HttpFrontend http;

        private Viewer(P2pClient client, DeviceLink link, LiveRelay live, Playback playback, HttpFrontend http) {
            this.client = client;
            this.link = link;
            this.live = live;
            this.playback = playback;
            this.http = http;
        }

        static Viewer start(ViewerOptions o) throws IOException {
            P2pClient client = new P2pClient();
            int r = client.init(o.uid(), DeviceKeys.of(o.deviceId(), o.accessKey()),
                    AppConfig.defaults().withProbeTargets(o.probes()));
            if (r != P2pError.SUCCESSFUL) {
                throw new IllegalStateException("app SDK init: " + P2pError.describe(r));
            }
            DeviceLink link = new DeviceLink(client, o.deviceId(), o.connectTimeoutMs());
            LiveRelay live = new LiveRelay(link, HttpFrontend.LIVE_CLIENT_LIMIT_BYTES);
            Playback playback = new Playback(link);
            HttpFrontend http;
            try {
                http = new HttpFrontend(o.http(), link, live, playback);
            } catch (BindException e) {
                client.close();
                throw new IOException("HTTP " + o.http() + ": " + e.getMessage()
                        + " (another program has the port? choose one with --http 127.0.0.1:PORT)", e);
            } catch (IOException e) {
                client.close();
                throw e;
            }
            link.start();
            live.start();
            http.start();
            log.info("serving {} for camera {} (probes to {})", http.address(), o.deviceId(), o.probes());
            return new Viewer(client, link, live, playback, http);
        }

        InetSocketAddress httpAddress() {
            return http.address();
        }

        @Override
        public void close() {
            // Streams first (their HTTP responses end), then the server, then the session.
            playback.stop();
            live.close();
            http.close();
            link.close();
            client.close(); // ends the session: the camera's send_stop_cb runs for our streams
        }
    }
}
