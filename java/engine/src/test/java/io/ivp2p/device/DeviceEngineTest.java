package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;
import io.ivp2p.bridge.P2pParams;

/** The engine without apps: global watermarks, unknown handles and peers, no key → no endpoint. */
class DeviceEngineTest {

    private P2pParams params;
    private FirmwareCallbacks callbacks;
    private DeviceEngine engine;

    @BeforeEach
    void newEngine() {
        // FirmwareCallbacks only wraps the addresses; none is called in these tests.
        params = new P2pParams(new P2pParams.Callbacks(0, 0, 0, 0, 0, 0, 0),
                new P2pParams.KeepAlive(5, 3),
                new P2pParams.InitParams(2, null, 0, 1200, 0, 10, 10, 10, 0),
                new P2pParams.NetInfo(0, 0, "", null, null));
        callbacks = new FirmwareCallbacks(params.callbacks());
        engine = new DeviceEngine(params, callbacks, DeviceSettings.of("cam_1", null));
        engine.start();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void keepsItsParamsAndCallbacks() {
        assertSame(params, engine.params());
        assertSame(callbacks, engine.callbacks());
    }

    @Test
    void withoutAnAccessKeyNoEndpointIsOpened() {
        assertNull(engine.sessionAddress());
        assertEquals(0, engine.peerCount());
    }

    @Test
    void watermarksStartDisabledAndTakeTheLastSetValue() {
        assertEquals(Watermarks.DISABLED, engine.watermarks());
        Watermarks w = new Watermarks(204_800, 409_600, 512_000);
        engine.setWatermarks(w);
        assertSame(w, engine.watermarks());
        engine.setWatermarks(Watermarks.DISABLED);
        assertEquals(Watermarks.DISABLED, engine.watermarks());
    }

    @Test
    void unknownStreamHandleHasNothingBufferedAndZeroStats() {
        assertEquals(0, engine.sendBuffered(0x1234));
        assertEquals(0, engine.sendBuffered(0));
        assertEquals(SendStats.NONE, engine.sendStats(0x1234));
        assertEquals(new SendStats(0, 0, 0, 0), engine.sendStats(0));
    }

    @Test
    void sendCommandToAnUnknownPeerIsChannelNotExistNamingThePeer() {
        IvException e = assertThrows(IvException.class,
                () -> engine.sendCommand("app_7", new byte[] {1}, 100));
        assertEquals(IvError.AVT_CHN_NOT_EXIT, e.error());
        assertTrue(e.getMessage().contains("app_7"), e.getMessage());
    }

    @Test
    void afterCloseQueriesStillAnswerZero() {
        engine.close();
        assertEquals(0, engine.sendBuffered(0x1234));
        assertEquals(SendStats.NONE, engine.sendStats(0x1234));
    }
}
