package io.ivp2p.app;

import org.junit.jupiter.api.BeforeEach;

/**
 * A test that starts connected: one fake device, one app client, the app's session {@link #h} and
 * the device's side of it {@link #onDevice}.
 */
abstract class ConnectedAppTest extends AppTestSupport {
    FakeDevice device;
    P2pClient app;
    int h;
    FakeDevice.DeviceSession onDevice;

    @BeforeEach
    void connectToTheDevice() throws Exception {
        device = device();
        app = client(device.address());
        h = connect(app);
        onDevice = device.nextSession();
    }
}
