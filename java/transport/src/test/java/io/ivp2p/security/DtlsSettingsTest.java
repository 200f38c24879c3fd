package io.ivp2p.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DtlsSettingsTest {

    @Test
    void defaultsAreTheMeasuredChoice() {
        DtlsSettings d = DtlsSettings.defaults();
        assertEquals(1200, d.maxDatagramSize());
        assertEquals(10_000, d.handshakeTimeoutMillis());
        assertEquals(1_000, d.handshakeResendMillis());
        assertArrayEquals(new int[] {0xD001, 0xCCAC}, d.cipherSuites());
        assertEquals(4, d.connectionIdLength());
        assertEquals(DtlsCrypto.JCA, d.crypto());
    }

    @Test
    void theFiveArgumentConstructorUsesTheDefaultBackEnd() {
        DtlsSettings s = new DtlsSettings(1000, 5000, 500, new int[] {0xCCAC}, 8);
        assertEquals(DtlsCrypto.DEFAULT, s.crypto());
        assertEquals(s, new DtlsSettings(1000, 5000, 500, new int[] {0xCCAC}, 8, DtlsCrypto.DEFAULT));
    }

    @Test
    void theSuiteArrayCannotBeChangedFromOutside() {
        int[] suites = {0xCCAC};
        DtlsSettings s = DtlsSettings.defaults().withCipherSuites(suites);
        suites[0] = 0xD001;
        s.cipherSuites()[0] = 0xD001;
        assertArrayEquals(new int[] {0xCCAC}, s.cipherSuites());
    }

    @Test
    void outOfRangeValuesAreRejected() {
        DtlsSettings d = DtlsSettings.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withMaxDatagramSize(499));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxDatagramSize(1461));
        assertThrows(IllegalArgumentException.class, () -> d.withHandshakeTimeouts(0, 50), "unbounded handshake");
        assertThrows(IllegalArgumentException.class, () -> d.withHandshakeTimeouts(1000, 2000));
        assertThrows(IllegalArgumentException.class, () -> d.withCipherSuites());
        assertThrows(IllegalArgumentException.class, () -> d.withCipherSuites(0xC02B), "not an ECDHE-PSK AEAD suite");
        assertThrows(IllegalArgumentException.class, () -> d.withCipherSuites(0xCCAC, 0xCCAC));
        assertThrows(IllegalArgumentException.class, () -> d.withConnectionIdLength(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withConnectionIdLength(17));
        assertThrows(IllegalArgumentException.class, () -> d.withCrypto(null));
    }
}
