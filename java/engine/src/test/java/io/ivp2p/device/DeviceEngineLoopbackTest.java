package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ivp2p.bridge.FirmwareCallbacks;
import io.ivp2p.bridge.P2pParams;
import io.ivp2p.control.ControlFrame;
import io.ivp2p.control.FrameType;

/**
 * The device engine with a firmware behind native function pointers and an app speaking the
 * protocol frame by frame, over real UDP on loopback. Timeouts are liveness bounds only.
 */
class DeviceEngineLoopbackTest {
    static final String KEY = "0123456789abcdef-test-key";
    private final TestFirmware fw = new TestFirmware();
    private DeviceEngine engine;
    private FirmwareCallbacks callbacks;

    private InetSocketAddress start(DeviceSettings settings) {
        P2pParams params = new P2pParams(fw.callbacks(), new P2pParams.KeepAlive(5, 3),
                new P2pParams.InitParams(2, null, 0, 0, 0, 10, 10, 10, 0),
                new P2pParams.NetInfo(0, 0, "127.0.0.1", null, "cam_1"));
        callbacks = new FirmwareCallbacks(params.callbacks());
        engine = new DeviceEngine(params, callbacks, settings);
        engine.start();
        return engine.sessionAddress();
    }

    @AfterEach
    void exit() throws Exception {
        if (engine != null) {
            engine.close();
            callbacks.gate().close(5000);
        }
    }

    @Test
    void aStreamDeliversTheFirmwareBytesInOrderAndStopsOnceWhenTheAppClosesIt() throws Exception {
        InetSocketAddress device = start(DeviceSettings.of(null, KEY));
        try (RawApp app = new RawApp(device, "alice", KEY)) {
            assertEquals("alice#1", app.hello());
            ControlFrame opened = app.request(FrameType.STREAM_OPEN, 1, "action=live&channel=0");
            assertEquals(FrameType.STREAM_OPENED, opened.type(), opened.text());
            assertEquals(0, opened.offset());
            TestFirmware.Stream s = fw.onlyStream();
            assertEquals("action=live&channel=0", s.params);
            assertEquals("alice#1", s.peer);
            byte[] got = app.readFully(1, 300_000);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != TestFirmware.pattern(s.handle, i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            app.send(new ControlFrame(FrameType.STREAM_CLOSE, 1, 0, null));
            ControlFrame end = app.next(FrameType.STREAM_END);
            assertTrue(end.offset() >= 300_000, "end offset " + end.offset());
            assertEquals(1, s.stops.get());
            assertEquals(0, s.getsAfterStop.get());
            assertEquals(0, engine.sendBuffered(s.handle), "handle unknown after send_stop_cb");
            assertEquals(List.of(), List.copyOf(fw.outstanding.keySet()), "every buffer freed");
            assertEquals(0, fw.badFrees.get());
        }
    }
}
