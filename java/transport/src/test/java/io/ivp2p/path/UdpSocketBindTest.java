package io.ivp2p.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class UdpSocketBindTest {
    @Test
    void aTakenPortIsNamedAsHostColonPort() throws Exception {
        try (UdpSocket first = new UdpSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), b -> { })) {
            int port = first.localAddress().getPort();
            IOException e = assertThrows(IOException.class, () -> new UdpSocket(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), b -> { }).close());
            assertTrue(e.getMessage().startsWith("cannot bind UDP 127.0.0.1:" + port + ": "), e.getMessage());
        }
    }

    @Test
    void addressesArePrintedWithoutTheDoubledWildcard() throws Exception {
        assertEquals("0.0.0.0:5000", UdpSocket.plain(new InetSocketAddress(5000)));
        assertEquals("[0:0:0:0:0:0:0:1]:5000", UdpSocket.plain(new InetSocketAddress(InetAddress.getByName("::1"), 5000)));
        assertEquals("cam.local:5000", UdpSocket.plain(InetSocketAddress.createUnresolved("cam.local", 5000)));
    }
}
