package io.ivp2p.testkit;

import io.ivp2p.device.DeviceEngine;
import io.ivp2p.bridge.EngineHost;

/**
 * What bench/device_bench.c reads from the running engine that the C API does not tell: the
 * memory the app sessions' channel buffers hold. Called from C through tests-c/jvm_fixture
 * (static {@code String method(String)}). Not a test.
 */
public final class DeviceBenchProbe {
    private DeviceBenchProbe() {}

    /**
     * {@link DeviceEngine#bufferedBytes()}: the chunk memory of every app session's channel buffers,
     * both directions (send chunks are 16 KiB, so this is at least get_send_buf's bytes rounded
     * up), in bytes; -1 without a running engine.
     */
    public static String buffered(String ignored) {
        return Long.toString(EngineHost.instance().current().map(DeviceEngine::bufferedBytes).orElse(-1L));
    }
}
