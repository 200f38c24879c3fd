package io.ivp2p.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;

class DeviceSettingsTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("ivp2p.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsDeviceKeysFromTheFileAndLeavesJvmKeysToTheShim() throws Exception {
        Path f = file("# comment\njvm.options = -Xmx32m\ndevice.id = cam_7\ndevice.access_key = 0123456789abcdef!\n"
                + "device.port = 4433\ndevice.max_connections = 8\n");
        DeviceSettings s = DeviceSettings.load(Map.of("IVP2P_CONFIG", f.toString()));
        assertEquals("cam_7", s.deviceId());
        assertEquals("0123456789abcdef!", s.accessKey());
        assertEquals(4433, s.port());
        assertEquals(8, s.maxConnections());
        assertEquals(f + ":4", s.origin());
        assertTrue(!s.toString().contains("0123456789abcdef!"), "the key never reaches a log line");
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path f = file("device.access_key = from-the-file-0123456789\n");
        DeviceSettings s = DeviceSettings.load(Map.of("IVP2P_CONFIG", f.toString(),
                "IVP2P_ACCESS_KEY", "from-the-environment-42", "IVP2P_MAX_CONNECTIONS", "3"));
        assertEquals("from-the-environment-42", s.accessKey());
        assertEquals("$IVP2P_ACCESS_KEY", s.origin());
        assertEquals(3, s.maxConnections());
    }

    @Test
    void noFileAndNoEnvironmentMeansNoKeyAndTheVendorLimit() {
        DeviceSettings s = DeviceSettings.load(Map.of("IVP2P_CONFIG", ""));
        assertNull(s.accessKey());
        assertEquals(32, s.maxConnections());
    }

    @Test
    void mistakesAreErrorsThatSayWhere() throws Exception {
        IvException typo = assertThrows(IvException.class, () -> DeviceSettings.load(
                Map.of("IVP2P_CONFIG", file("device.acess_key = 0123456789abcdef0\n").toString())));
        assertEquals(IvError.AVT_INPUT_PARAM_INVAILD, typo.error());
        assertTrue(typo.getMessage().contains(":1: unknown setting \"device.acess_key\""), typo.getMessage());
        IvException shortKey = assertThrows(IvException.class, () -> DeviceSettings.load(
                Map.of("IVP2P_ACCESS_KEY", "short", "IVP2P_CONFIG", "")));
        assertTrue(shortKey.getMessage().contains("shorter than 16"), shortKey.getMessage());
        IvException port = assertThrows(IvException.class, () -> DeviceSettings.load(
                Map.of("IVP2P_DEVICE_PORT", "http", "IVP2P_CONFIG", "")));
        assertTrue(port.getMessage().contains("not a number"), port.getMessage());
        IvException missing = assertThrows(IvException.class, () -> DeviceSettings.load(
                Map.of("IVP2P_CONFIG", dir.resolve("nope.conf").toString())));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertThrows(IvException.class, () -> DeviceSettings.of("bad id!", null));
    }
}
