package io.ivp2p.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSettingsTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 6, 42, Integer.MIN_VALUE})
    void levelOutsideZeroToFiveIsRejectedWithTheOffendingValue(int level) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.fromVendor(level, null, 0));
        assertTrue(e.getMessage().contains(String.valueOf(level)), e.getMessage());
        assertTrue(e.getMessage().contains("0..5"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyVendorLevelIsAccepted(int level) {
        assertEquals(level, LogSettings.fromVendor(level, null, 0).vendorLevel());
    }

    @Test
    void zeroSizeMeansTheOneMebibyteDefault() {
        assertEquals(1_048_576L, LogSettings.DEFAULT_FILE_BYTES);
        assertEquals(LogSettings.DEFAULT_FILE_BYTES, LogSettings.fromVendor(3, "/tmp", 0).maxFileBytes());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 100, 4095})
    void tinySizeIsRaisedToTheMinimum(long size) {
        assertEquals(4096L, LogSettings.MIN_FILE_BYTES);
        assertEquals(LogSettings.MIN_FILE_BYTES, new LogSettings(3, null, size).maxFileBytes());
    }

    @ParameterizedTest
    @ValueSource(longs = {4096, 4097, 10_000_000})
    void sizeAtOrAboveTheMinimumIsKept(long size) {
        assertEquals(size, LogSettings.fromVendor(3, null, size).maxFileBytes());
    }

    @Test
    void negativeSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LogSettings.fromVendor(3, null, -1));
    }

    @Test
    void nullOrBlankPathMeansStderr() {
        assertNull(LogSettings.fromVendor(3, null, 0).directory());
        assertNull(LogSettings.fromVendor(3, "", 0).directory());
        assertNull(LogSettings.fromVendor(3, "  ", 0).directory());
    }

    @Test
    void pathBecomesTheLogDirectory() {
        assertEquals(Path.of("/var/log/cam"), LogSettings.fromVendor(3, "/var/log/cam", 0).directory());
    }

    @Test
    void pathWithANulCharacterIsRejectedAsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> LogSettings.fromVendor(3, "/tmp/a\0b", 0));
    }
}
