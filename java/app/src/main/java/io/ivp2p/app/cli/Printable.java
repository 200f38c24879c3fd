package io.ivp2p.app.cli;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Message bytes as one {@code key=value} field that keeps the line parseable: {@code text=...}
 * when every byte is visible ASCII (0x21..0x7E, so no spaces), else {@code hex=...}.
 */
final class Printable {
    private Printable() {}

    static String field(byte[] b) {
        for (byte x : b) {
            if (x < 0x21 || x > 0x7E) {
                return "hex=" + HexFormat.of().formatHex(b);
            }
        }
        return "text=" + new String(b, StandardCharsets.US_ASCII);
    }
}
