package io.ivp2p.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ViewerOptionsTest {
    private static final Map<String, String> KEY = Map.of("IVP2P_ACCESS_KEY", "0123456789abcdef");

    @Test
    void defaultsAreLoopbackHttpAndLanBroadcastProbes() throws Exception {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--device", "cam_01"}, KEY);
        assertEquals("cam_01", o.deviceId());
        assertEquals("viewer", o.uid());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), o.http());
        assertEquals(new InetSocketAddress("255.255.255.255", 23710), o.probes().get(0));
        assertFalse(o.toString().contains("0123456789abcdef"), "the key never shows");
    }

    @Test
    void optionsAreRead() throws Exception {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--device", "cam_01", "--probe", "127.0.0.1:24710",
            "--probe", "[::1]:1", "--http", "0.0.0.0:0", "--uid", "me", "--connect-timeout", "2000"}, KEY);
        assertEquals(2, o.probes().size());
        assertEquals(0, o.http().getPort());
        assertEquals(2000, o.connectTimeoutMs());
    }

    @Test
    void mistakesAreExplained() {
        String[][] bad = {{}, {"--device"}, {"--device", "cam-01"}, {"--device", "c", "--http", "x"},
            {"--device", "c", "--probe", "127.0.0.1:0"}, {"--device", "c", "--frobnicate", "1"},
            {"--device", "c", "--connect-timeout", "soon"}, {"--device", "c", "--uid", "a b"}};
        for (String[] args : bad) {
            ViewerOptions.UsageException e = assertThrows(ViewerOptions.UsageException.class,
                    () -> ViewerOptions.parse(args, KEY), String.join(" ", args));
            assertFalse(e.getMessage().isEmpty(), String.join(" ", args));
        }
        assertTrue(assertThrows(ViewerOptions.UsageException.class,
                () -> ViewerOptions.parse(new String[] {"--device", "c"}, Map.of())).getMessage()
                .contains("IVP2P_ACCESS_KEY"));
        assertTrue(assertThrows(ViewerOptions.UsageException.class,
                () -> ViewerOptions.parse(new String[] {"--device", "c"}, Map.of("IVP2P_ACCESS_KEY", "short")))
                .getMessage().contains("shorter"));
    }

    @Test
    void onlyLoopbackHostHeadersPassWhenServingLoopback() {
        for (String h : new String[] {"localhost:8080", "127.0.0.1:8080", "127.0.0.1", "[::1]:8080", "LOCALHOST"}) {
            assertTrue(HttpFrontend.loopbackHost(h), h);
        }
        for (String h : new String[] {"evil.example:8080", "127.0.0.1.evil.example", "localhost.evil", "", "[::2]"}) {
            assertFalse(HttpFrontend.loopbackHost(h), h);
        }
        assertFalse(HttpFrontend.loopbackHost(null));
    }

    @Test
    void queryParametersAreDecoded() {
        Map<String, String> q = HttpFrontend.query(URI.create("/playback.flv?start_time=5&end_time=9&x=a%20b&flag"));
        assertEquals("5", q.get("start_time"));
        assertEquals("a b", q.get("x"));
        assertFalse(q.containsKey("flag"));
    }
}
