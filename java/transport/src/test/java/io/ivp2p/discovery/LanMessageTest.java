package io.ivp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** LAN probe and answer: round trips, and every way an answer can be forged, stale or malformed. */
class LanMessageTest {
    private static final byte[] KEY = "device-access-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "someone-elses-key-0123456789".getBytes(StandardCharsets.UTF_8);

    private static byte[] nonce(int seed) {
        byte[] n = new byte[LanMessage.NONCE];
        Arrays.fill(n, (byte) seed);
        n[0] = (byte) (seed * 7);
        return n;
    }

    @Test
    void aProbeRoundTrips() {
        byte[] wire = LanMessage.probe(nonce(1), "cam_01");
        assertEquals('I', wire[0], "the first byte is in RFC 7983's 'other' range");
        assertEquals(LanMessage.PROBE, LanMessage.typeOf(ByteBuffer.wrap(wire)));
        LanMessage.Probe p = LanMessage.parseProbe(ByteBuffer.wrap(wire));
        assertNotNull(p);
        assertArrayEquals(nonce(1), p.nonce());
        assertEquals("cam_01", p.deviceId());
    }

    @Test
    void aProbeIsParsedFromTheBuffersPositionWithoutMovingIt() {
        byte[] wire = LanMessage.probe(nonce(2), "cam_01");
        ByteBuffer b = ByteBuffer.allocate(wire.length + 3);
        b.put(new byte[] {0, 0, 0}).put(wire).position(3);
        assertEquals("cam_01", LanMessage.parseProbe(b).deviceId());
        assertEquals(3, b.position());
    }

    @Test
    void anAnswerRoundTripsAndVerifiesWithTheKeyAndTheProbesNonce() {
        byte[] wire = LanMessage.answer(nonce(3), 0, 40123, "cam_01", KEY);
        LanMessage.Answer a = LanMessage.parseAnswer(ByteBuffer.wrap(wire));
        assertNotNull(a);
        assertEquals("cam_01", a.deviceId());
        assertEquals(40123, a.sessionPort());
        assertFalse(a.full());
        assertTrue(a.verify(KEY, nonce(3)));
    }

    @Test
    void theFullFlagSurvivesTheRoundTrip() {
        LanMessage.Answer a = LanMessage.parseAnswer(ByteBuffer.wrap(
                LanMessage.answer(nonce(3), LanMessage.FLAG_FULL, 65535, "cam_01", KEY)));
        assertTrue(a.full());
        assertEquals(65535, a.sessionPort());
        assertTrue(a.verify(KEY, nonce(3)));
    }

    @Test
    void anAnswerMadeWithAnotherKeyFailsVerification() {
        LanMessage.Answer forged = LanMessage.parseAnswer(ByteBuffer.wrap(
                LanMessage.answer(nonce(4), 0, 1, "cam_01", OTHER_KEY)));
        assertNotNull(forged, "well-formed, so it parses");
        assertFalse(forged.verify(KEY, nonce(4)));
    }

    @Test
    void anAnswerToAnOlderProbeFailsVerification() {
        LanMessage.Answer stale = LanMessage.parseAnswer(ByteBuffer.wrap(
                LanMessage.answer(nonce(5), 0, 1, "cam_01", KEY)));
        assertFalse(stale.verify(KEY, nonce(6)), "a replayed answer carries the old nonce");
    }

    @Test
    void changingAnySignedByteBreaksTheMac() {
        byte[] wire = LanMessage.answer(nonce(7), 0, 5000, "cam_01", KEY);
        int macStart = wire.length - LanMessage.MAC;
        for (int i = 6; i < wire.length; i++) {
            byte[] t = wire.clone();
            t[i] ^= (i < macStart && wire[i] >= 'a' && wire[i] <= 'z') ? 0x20 : 0x01; // keep ids valid
            LanMessage.Answer a = LanMessage.parseAnswer(ByteBuffer.wrap(t));
            if (a != null) {
                assertFalse(a.verify(KEY, nonce(7)) && a.deviceId().equals("cam_01")
                        && a.sessionPort() == 5000 && !a.full(), "byte " + i + " changed yet accepted");
            }
        }
    }

    @Test
    void anAnswerForAnotherDeviceIsToldApartByItsId() {
        // The MAC covers the id, so the id the app compares with is the one the key holder sent.
        byte[] wire = LanMessage.answer(nonce(8), 0, 1, "cam_02", KEY);
        LanMessage.Answer a = LanMessage.parseAnswer(ByteBuffer.wrap(wire));
        assertEquals("cam_02", a.deviceId());
        byte[] renamed = wire.clone();
        int idAt = 4 + 2 + LanMessage.NONCE + 1 + 2 + 1;
        renamed[idAt + 5] = '1';
        LanMessage.Answer r = LanMessage.parseAnswer(ByteBuffer.wrap(renamed));
        assertEquals("cam_01", r.deviceId());
        assertFalse(r.verify(KEY, nonce(8)), "an id changed in flight fails the MAC");
    }

    @Test
    void malformedDatagramsParseAsNull() {
        byte[] probe = LanMessage.probe(nonce(9), "cam_01");
        byte[] answer = LanMessage.answer(nonce(9), 0, 1, "cam_01", KEY);
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(new byte[0])));
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(Arrays.copyOf(probe, probe.length - 1))), "truncated id");
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(Arrays.copyOf(probe, 10))), "truncated nonce");
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(Arrays.copyOf(probe, probe.length + 1))), "trailing byte");
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(answer)), "an answer is not a probe");
        assertNull(LanMessage.parseAnswer(ByteBuffer.wrap(probe)), "a probe is not an answer");
        assertNull(LanMessage.parseAnswer(ByteBuffer.wrap(Arrays.copyOf(answer, answer.length - 1))), "short MAC");
        assertNull(LanMessage.parseAnswer(ByteBuffer.wrap(Arrays.copyOf(answer, answer.length + 1))), "long MAC");
        assertNull(LanMessage.parseAnswer(ByteBuffer.wrap(Arrays.copyOf(answer, 20))), "truncated");

        byte[] badMagic = probe.clone();
        badMagic[0] = 'X';
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(badMagic)));
        assertEquals(0, LanMessage.typeOf(ByteBuffer.wrap(badMagic)));
        byte[] badVersion = probe.clone();
        badVersion[4] = 2;
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(badVersion)));

        int idAt = 4 + 2 + LanMessage.NONCE + 1;
        byte[] badChar = probe.clone();
        badChar[idAt + 3] = '-';
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(badChar)), "'-' is not in a device id");
        byte[] emptyId = Arrays.copyOf(probe, idAt);
        emptyId[idAt - 1] = 0;
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(emptyId)), "an empty id");
        byte[] longLength = probe.clone();
        longLength[idAt - 1] = (byte) 200;
        assertNull(LanMessage.parseProbe(ByteBuffer.wrap(longLength)), "an id length past the end");
    }

    @Test
    void buildingRefusesBadIdsAndNonces() {
        assertThrows(IllegalArgumentException.class, () -> LanMessage.probe(new byte[15], "cam_01"));
        assertThrows(IllegalArgumentException.class, () -> LanMessage.probe(nonce(1), "cam-01"));
        assertThrows(IllegalArgumentException.class, () -> LanMessage.probe(nonce(1), "x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> LanMessage.probe(nonce(1), null));
        assertThrows(IllegalArgumentException.class, () -> LanMessage.answer(nonce(1), 0, 1, "", KEY));
    }
}
