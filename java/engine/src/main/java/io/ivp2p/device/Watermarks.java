package io.ivp2p.device;

import io.ivp2p.bridge.IvError;
import io.ivp2p.bridge.IvException;

/**
 * The global send-buffer watermarks of {@code iv_avt_p2p_set_buf_watermark}, in bytes (unsigned
 * {@code size_t} values held in longs). Vendor: un-sent bytes above warn → one WATERMARK_WARN;
 * above high → one WATERMARK_HIGH and polling pauses; below low → one WATERMARK_LOW and polling
 * resumes; "if all three are 0, no events: the user does congestion control with get_send_buf".
 */
public record Watermarks(long low, long warn, long high) {
    public static final Watermarks DISABLED = new Watermarks(0, 0, 0);

    public Watermarks {
        boolean allZero = low == 0 && warn == 0 && high == 0;
        if (!allZero && (Long.compareUnsigned(low, warn) > 0 || Long.compareUnsigned(warn, high) > 0)) {
            throw new IvException(IvError.AVT_INPUT_PARAM_INVAILD, "watermarks low="
                    + Long.toUnsignedString(low) + " warn=" + Long.toUnsignedString(warn) + " high="
                    + Long.toUnsignedString(high) + ": need low <= warn <= high, or all three 0");
        }
    }

    public boolean enabled() {
        return high != 0;
    }
}
